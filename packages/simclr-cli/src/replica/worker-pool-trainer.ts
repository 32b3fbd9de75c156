import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as tf from '@tensorflow/tfjs-core';
import { drawSimclrParams, sliceSimclrParams, type SimclrParams } from '@simclr-ts/augment';
import { countParameters } from '@simclr-ts/models';
import {
  NonFiniteLossError,
  abortReplicaGroup,
  allocateReplicaBuffer,
  captureTrainingState,
  restoreTrainingState,
  trainingStateMetadata,
  type SimclrStepper,
  type SimclrTrainer,
} from '@simclr-ts/train';
import { trainingAugmentOptions } from '../pretrain-model';
import type { PretrainConfig } from '../presets';
import type { HostMessage, WorkerMessage, WorkerSetup } from './worker-protocol';

/** Options of {@link WorkerPoolTrainer.start}. */
export interface WorkerPoolOptions {
  /** Worker threads, at least 2, each training on a share of every batch. */
  workers: number;
  /** The configuration the local trainer was built from, which each worker builds too. */
  config: PretrainConfig;
  /** Width of the head's embeddings, which the workers exchange every step. */
  embeddingDim: number;
  /** tfjs backend of the workers. */
  backend: string;
  /** Worker script. Default: `replica-worker.cjs` beside the running bundle. */
  workerScript?: string;
}

interface Pending {
  resolve: (message: WorkerMessage) => void;
  reject: (error: Error) => void;
}

/**
 * Data-parallel SimCLR steps on worker threads, one tfjs backend each, so that a
 * single-threaded backend such as wasm uses several cores.
 *
 * Each step splits the batch into contiguous shares, one per worker. The workers
 * exchange embeddings so that NT-Xent compares every pair of the batch, synchronise
 * BatchNorm, and sum their gradients (see `SimclrTrainer`'s `replicas` option), so a step
 * equals the local trainer's step on the whole batch up to float rounding. The host draws
 * the augmentation parameters and the epoch order from the local trainer's generators,
 * so the images and views of a run do not depend on the number of workers.
 *
 * The local trainer holds the state between steps only after {@link pull}: its weights
 * and optimizer slots go stale while the workers train.
 */
export class WorkerPoolTrainer implements SimclrStepper {
  private learningRate: number;
  private readonly pending: Pending[][];
  private failure: Error | undefined;

  private constructor(
    private readonly local: SimclrTrainer,
    private readonly workers: Worker[],
    private readonly buffer: SharedArrayBuffer,
    private readonly config: PretrainConfig,
  ) {
    this.learningRate = config.learningRate;
    this.pending = workers.map(() => []);
    workers.forEach((worker, rank) => {
      worker.on('message', (message: WorkerMessage) =>
        this.pending[rank]!.shift()?.resolve(message),
      );
      worker.on('error', (error) =>
        this.fail(new Error(`Worker ${rank} failed: ${error.message}`)),
      );
      worker.on('exit', (code) => this.fail(new Error(`Worker ${rank} exited with code ${code}.`)));
    });
  }

  /**
   * Starts the workers and loads the local trainer's current state into them, so a
   * restored trainer resumes where it stopped.
   *
   * @throws Error if a worker fails to start, e.g. when its backend does not initialise.
   */
  static async start(local: SimclrTrainer, options: WorkerPoolOptions): Promise<WorkerPoolTrainer> {
    const { workers: size, config } = options;
    if (!Number.isInteger(size) || size < 2) {
      throw new Error(`Invalid worker count ${size}: a pool needs at least 2 workers.`);
    }
    const parameters = countParameters(local.encoder) + countParameters(local.head);
    const largestShare = Math.ceil(config.batchSize / size);
    const buffer = allocateReplicaBuffer(
      size,
      Math.max(parameters, 2 * largestShare * options.embeddingDim),
    );
    const script = options.workerScript ?? join(__dirname, 'replica-worker.cjs');
    const workers = Array.from({ length: size }, (_, rank) => {
      const setup: WorkerSetup = { buffer, rank, size, backend: options.backend, config };
      return new Worker(script, { workerData: setup });
    });

    const pool = new WorkerPoolTrainer(local, workers, buffer, config);
    try {
      await pool.broadcast(() => undefined);
      const state = await captureTrainingState(local);
      await pool.broadcast(() => ({
        type: 'load',
        arrays: state.arrays,
        metadata: state.metadata,
      }));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get shuffleRng(): SimclrTrainer['shuffleRng'] {
    return this.local.shuffleRng;
  }

  /** Number of worker threads. */
  get size(): number {
    return this.workers.length;
  }

  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
    this.local.setLearningRate(learningRate);
  }

  /**
   * Runs one step on `images` `[N, H, W, C]` in [0, 1], with N at least the number of
   * workers, and returns the loss.
   *
   * @throws NonFiniteLossError when the loss is not finite. The workers then skip the update.
   */
  async step(images: tf.Tensor4D): Promise<number> {
    const [count, height, width, channels] = images.shape;
    if (count < Math.max(2, this.size)) {
      throw new Error(
        `Invalid batch of ${count} images: a step on ${this.size} workers needs at least ${Math.max(2, this.size)}.`,
      );
    }
    const rng = this.local.augmentRng;
    const augment = trainingAugmentOptions(this.config);
    const viewParams: [SimclrParams, SimclrParams] = [
      drawSimclrParams(images.shape, rng, augment),
      drawSimclrParams(images.shape, rng, augment),
    ];
    const pixels = (await images.data()) as Float32Array;
    const imageSize = height * width * channels;

    const replies = await this.broadcast((rank) => {
      const start = Math.round((rank * count) / this.size);
      const end = Math.round(((rank + 1) * count) / this.size);
      return {
        type: 'step',
        images: pixels.slice(start * imageSize, end * imageSize),
        shape: [end - start, height, width, channels],
        viewParams: [
          sliceSimclrParams(viewParams[0], start, end),
          sliceSimclrParams(viewParams[1], start, end),
        ],
        learningRate: this.learningRate,
      };
    });
    this.local.stepCount += 1;
    return (replies[0] as Extract<WorkerMessage, { type: 'step' }>).loss;
  }

  /** Copies the weights and optimizer slots of the workers into the local trainer. */
  async pull(): Promise<void> {
    const [first] = await this.request(0, { type: 'capture' });
    // The local trainer keeps its own step count and generators.
    await restoreTrainingState(this.local, {
      arrays: (first as Extract<WorkerMessage, { type: 'captured' }>).arrays,
      metadata: trainingStateMetadata(this.local),
    });
  }

  /** Stops the workers. The pool can't be used afterwards. */
  async close(): Promise<void> {
    this.failure ??= new Error('The worker pool is closed.');
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  /**
   * Sends each worker the message `messageFor(rank)` returns (none when it returns
   * undefined, e.g. to await the 'ready' message) and resolves with the replies in rank
   * order.
   */
  private async broadcast(
    messageFor: (rank: number) => HostMessage | undefined,
  ): Promise<WorkerMessage[]> {
    const replies = await Promise.allSettled(
      this.workers.map((_, rank) => this.request(rank, messageFor(rank)).then(([reply]) => reply!)),
    );
    const failures = replies
      .filter((reply): reply is PromiseRejectedResult => reply.status === 'rejected')
      .map((reply) => reply.reason as Error);
    if (failures.length > 0) {
      // One worker's failure aborts the others' collective calls, so report the cause.
      throw failures.find((error) => error.name !== 'ReplicaGroupAbortedError') ?? failures[0];
    }
    return replies.map((reply) => (reply as PromiseFulfilledResult<WorkerMessage>).value);
  }

  private request(rank: number, message: HostMessage | undefined): Promise<WorkerMessage[]> {
    if (this.failure !== undefined) {
      return Promise.reject(this.failure);
    }
    return new Promise((resolve, reject) => {
      this.pending[rank]!.push({
        resolve: (reply) => {
          if (reply.type === 'error') {
            reject(workerError(rank, reply));
          } else {
            resolve([reply]);
          }
        },
        reject,
      });
      if (message !== undefined) {
        this.workers[rank]!.postMessage(message);
      }
    });
  }

  /** Rejects every pending request and releases workers waiting in a collective call. */
  private fail(error: Error): void {
    if (this.failure !== undefined) {
      return;
    }
    this.failure = error;
    abortReplicaGroup(this.buffer);
    for (const queue of this.pending) {
      for (const waiting of queue.splice(0)) {
        waiting.reject(error);
      }
    }
  }
}

function workerError(rank: number, reply: Extract<WorkerMessage, { type: 'error' }>): Error {
  if (reply.name === 'NonFiniteLossError') {
    return new NonFiniteLossError(reply.step!, reply.loss!);
  }
  const error = new Error(`Worker ${rank}: ${reply.message}`);
  error.name = reply.name;
  if (reply.stack !== undefined) {
    error.stack = `${error.name}: ${error.message}\n(worker stack) ${reply.stack}`;
  }
  return error;
}
