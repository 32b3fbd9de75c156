import * as tf from '@tensorflow/tfjs-core';

// Added to the squared row norm, so a zero row maps to zero with a finite gradient
// instead of 0/0. It changes the norm of a row of norm r by a relative 5e-13 / r².
const SQUARED_NORM_EPSILON = 1e-12;

/**
 * Divides each row of `x` (`[N, D]`) by sqrt(‖row‖² + 1e-12), which is its L2 norm
 * for any row of norm well above 1e-6. Call inside `tf.tidy`.
 *
 * NOTE: the squares overflow float32 when an entry exceeds about 1.8e19 in
 * magnitude, and that row then normalises to zero instead of a unit vector.
 */
export function normalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  const squaredNorms = tf.sum(tf.square(x), 1, true);
  const norms = tf.sqrt(tf.add(squaredNorms, SQUARED_NORM_EPSILON));
  return tf.div(x, norms);
}
