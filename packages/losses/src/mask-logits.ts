import * as tf from '@tensorflow/tfjs-core';

// The masked logit lies at least this far below every unmasked logit of its row, so
// after log-sum-exp subtracts the row maximum, its exp() underflows to 0 in float32.
const MASK_MARGIN = 1e4;

/**
 * Replaces the entries of `logits` where `mask` is 1 with a finite value far below
 * every unmasked logit, so that log-sum-exp over a row ignores them. `mask` contains
 * 0 or 1 and broadcasts against `logits`. `bound` is an upper bound on |logit| of
 * the unmasked entries, for example 1/τ for cosine similarities divided by τ.
 *
 * A finite value, unlike -Infinity, keeps the gradient of the masked entries at 0,
 * not NaN, and 0 × value stays 0 when a later step multiplies the masked entries
 * by a zero weight. Call inside `tf.tidy`.
 */
export function maskLogits<T extends tf.Tensor>(logits: T, mask: tf.Tensor, bound: number): T {
  const maskValue = -(2 * bound + MASK_MARGIN);
  const unmaskedPart = tf.mul(logits, tf.sub(1, mask));
  return tf.add(unmaskedPart, tf.mul(mask, maskValue)) as T;
}

/**
 * Returns the `[2N, 2N]` float32 mask that is 1 where column k is the other view of
 * row a's example, with row a < N in the first view and row a ≥ N in the second.
 */
export function positivePairMask(batchSize: number): tf.Tensor2D {
  const zeros = tf.zeros([batchSize, batchSize]);
  const identity = tf.eye(batchSize);
  const top = tf.concat([zeros, identity], 1);
  const bottom = tf.concat([identity, zeros], 1);
  return tf.concat([top, bottom], 0) as tf.Tensor2D;
}
