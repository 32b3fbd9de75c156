import * as tf from '@tensorflow/tfjs-core';
import { formatShape, validateEmbeddings } from './validate';

/** Options of {@link KeyQueue}. */
export interface KeyQueueOptions {
  /**
   * Maximum number of keys K that the queue stores. An integer ≥ 1. MoCo's reference
   * code defaults to 65,536.
   */
  capacity: number;
  /** Number of columns D of every key, the output dimension of the key encoder. */
  dimension: number;
}

/**
 * A first-in, first-out queue of key embeddings, the dictionary of negatives of MoCo
 * (He et al., 2020, "Momentum Contrast for Unsupervised Visual Representation
 * Learning"). After each training step, {@link enqueue} the keys of the batch. Once
 * the queue contains `capacity` keys, each enqueue drops the oldest ones, so the
 * negatives come from the most recent batches.
 *
 * The queue owns one tensor of shape `[size, D]`. It is a plain tensor, not a
 * `tf.Variable`, so `optimizer.minimize` never trains it. Call {@link dispose} to
 * free it.
 *
 * @example
 * const queue = new KeyQueue({ capacity: 4096, dimension: 128 });
 * // One training step: `encoder` is trained, `keyEncoder` is its momentum copy.
 * const k = keyEncoder(x2);
 * if (queue.size > 0) {
 *   optimizer.minimize(() => infoNceLoss(encoder(x1), k, queue.keys));
 * }
 * queue.enqueue(k);
 * k.dispose();
 */
export class KeyQueue {
  /** Maximum number of keys K. */
  readonly capacity: number;
  /** Number of columns D of every key. */
  readonly dimension: number;

  private bank: tf.Tensor2D | null;

  /** @throws Error if `capacity` or `dimension` is not an integer ≥ 1. */
  constructor(options: KeyQueueOptions) {
    validatePositiveInteger(options.capacity, 'capacity');
    validatePositiveInteger(options.dimension, 'dimension');
    this.capacity = options.capacity;
    this.dimension = options.dimension;
    this.bank = tf.keep(tf.zeros([0, options.dimension]) as tf.Tensor2D);
  }

  /** Number of keys stored, from 0 up to `capacity`. */
  get size(): number {
    return this.liveBank().shape[0];
  }

  /**
   * The stored keys, `[size, D]` float32, newest first. The queue owns this tensor:
   * do not dispose it. It stays valid until the next {@link enqueue} or
   * {@link dispose}.
   */
  get keys(): tf.Tensor2D {
    return this.liveBank();
  }

  /**
   * Adds a copy of `keys` (`[B, D]` float32) to the queue and drops the oldest keys
   * beyond `capacity`. When B > capacity, only the first `capacity` rows of `keys`
   * are stored. The caller keeps ownership of `keys`.
   *
   * @throws Error if `keys` is not a float32 `[B, D]` tensor with this queue's D and
   *   B ≥ 1, or if the queue has been disposed.
   */
  enqueue(keys: tf.Tensor2D): void {
    const bank = this.liveBank();
    validateEmbeddings(keys, 'keys', 'KeyQueue.enqueue');

    if (keys.shape[1] !== this.dimension || keys.shape[0] === 0) {
      throw new Error(
        `KeyQueue.enqueue: keys must have shape [B, ${this.dimension}] with B ≥ 1, ` +
          `got ${formatShape(keys.shape)}. The queue was created with dimension ` +
          `${this.dimension}.`,
      );
    }

    const size = Math.min(this.capacity, bank.shape[0] + keys.shape[0]);
    const next = tf.tidy(() => tf.slice(tf.concat([keys, bank], 0), [0, 0], [size, -1]));
    this.bank = tf.keep(next);
    bank.dispose();
  }

  /** Frees the stored keys. Later calls other than `dispose` throw. */
  dispose(): void {
    this.bank?.dispose();
    this.bank = null;
  }

  private liveBank(): tf.Tensor2D {
    if (this.bank === null) {
      throw new Error('KeyQueue: the queue has been disposed. Create a new KeyQueue.');
    }
    return this.bank;
  }
}

function validatePositiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`KeyQueue: ${name} must be an integer ≥ 1, got ${String(value)}.`);
  }
}
