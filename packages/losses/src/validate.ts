import type * as tf from '@tensorflow/tfjs-core';

/** Minimum number of rows of an input, and why it needs that many. */
export interface MinRows {
  count: number;
  /** Clause that ends the message, for example 'so that each anchor has negatives'. */
  reason?: string;
  /** Symbol of the row count in messages. Default 'N'. */
  symbol?: string;
}

const NEEDS_NEGATIVES: MinRows = { count: 2, reason: 'so that each anchor has negatives' };

/**
 * Throws unless `z1` and `z2` are float32 tensors of the same shape `[N, D]`
 * with N ≥ `minRows.count` (default 2) and D ≥ 1.
 *
 * `caller` prefixes every message, so the error names the public function, and
 * `names` are the parameter names that the messages use.
 */
export function validateEmbeddingPair(
  z1: tf.Tensor,
  z2: tf.Tensor,
  caller: string,
  minRows: MinRows = NEEDS_NEGATIVES,
  names: readonly [string, string] = ['z1', 'z2'],
): void {
  validateEmbeddings(z1, names[0], caller);
  validateEmbeddings(z2, names[1], caller);

  if (z1.shape[0] !== z2.shape[0] || z1.shape[1] !== z2.shape[1]) {
    throw new Error(
      `${caller}: ${names[0]} and ${names[1]} must have the same shape [N, D], ` +
        `got ${formatShape(z1.shape)} and ${formatShape(z2.shape)}. ` +
        `Row i of both must embed the same example, and both must come from heads ` +
        `with the same output dimension D.`,
    );
  }

  validateMinRows(z1, names.join(' and '), minRows, caller);
}

/** Throws unless `z` has at least `minRows.count` rows. `name` names `z` in the message. */
export function validateMinRows(
  z: tf.Tensor,
  name: string,
  minRows: MinRows,
  caller: string,
): void {
  if (z.shape[0]! < minRows.count) {
    const plural = minRows.count === 1 ? 'row' : 'rows';
    const symbol = minRows.symbol ?? 'N';
    const reason = minRows.reason === undefined ? '' : ` ${minRows.reason}`;
    throw new Error(
      `${caller}: ${name} must have at least ${minRows.count} ${plural} ` +
        `(${symbol} ≥ ${minRows.count})${reason}, got shape ${formatShape(z.shape)}.`,
    );
  }
}

/** Throws unless `value` is a finite number greater than 0. */
export function validatePositiveFinite(value: number, name: string, caller: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${caller}: ${name} must be a finite number > 0, got ${String(value)}.`);
  }
}

/** Throws unless `value` is a finite number greater than or equal to 0. */
export function validateNonNegativeFinite(value: number, name: string, caller: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${caller}: ${name} must be a finite number ≥ 0, got ${String(value)}.`);
  }
}

/** Throws unless `z` is a float32 tensor of rank 2 with at least one column. */
export function validateEmbeddings(z: tf.Tensor, name: string, caller: string): void {
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

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
