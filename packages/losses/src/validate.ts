import type * as tf from '@tensorflow/tfjs-core';

/**
 * Throws unless `z1` and `z2` are float32 tensors of the same shape `[N, D]`
 * with N ≥ 2 and D ≥ 1.
 *
 * N = 1 is rejected because an anchor then has no negatives in the batch.
 * `caller` prefixes every message, so the error names the public function.
 */
export function validateEmbeddingPair(z1: tf.Tensor, z2: tf.Tensor, caller: string): void {
  validateEmbeddings(z1, 'z1', caller);
  validateEmbeddings(z2, 'z2', caller);

  if (z1.shape[0] !== z2.shape[0] || z1.shape[1] !== z2.shape[1]) {
    throw new Error(
      `${caller}: z1 and z2 must have the same shape [N, D], ` +
        `got ${formatShape(z1.shape)} and ${formatShape(z2.shape)}.`,
    );
  }

  const batchSize = z1.shape[0]!;
  if (batchSize < 2) {
    throw new Error(
      `${caller}: z1 and z2 must have at least 2 rows (N ≥ 2) so that each anchor has ` +
        `negatives, got shape ${formatShape(z1.shape)}.`,
    );
  }
}

/** Throws unless `value` is a finite number greater than 0. */
export function validatePositiveFinite(value: number, name: string, caller: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${caller}: ${name} must be a finite number > 0, got ${String(value)}.`);
  }
}

function validateEmbeddings(z: tf.Tensor, name: string, caller: string): void {
  if (z == null || !Array.isArray(z.shape)) {
    throw new TypeError(
      `${caller}: ${name} must be a tf.Tensor of shape [N, D], got ${String(z)}.`,
    );
  }

  if (z.rank !== 2) {
    throw new Error(
      `${caller}: ${name} must have rank 2 (shape [N, D]), ` +
        `got rank ${z.rank} with shape ${formatShape(z.shape)}.`,
    );
  }

  if (z.dtype !== 'float32') {
    throw new Error(
      `${caller}: ${name} must have dtype float32, got ${z.dtype}. ` +
        `Convert it with tf.cast(${name}, 'float32').`,
    );
  }

  if (z.shape[1] === 0) {
    throw new Error(
      `${caller}: ${name} must have at least 1 column (D ≥ 1), got shape ${formatShape(z.shape)}.`,
    );
  }
}

function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
