import * as tf from '@tensorflow/tfjs-core';
import { normalizeRows } from './normalize-rows';
import { validateEmbeddingPair, validatePositiveFinite } from './validate';

/** Options of {@link alignment}. */
export interface AlignmentOptions {
  /** Exponent α of the distance. Must be finite and > 0. Default 2. */
  alpha?: number;
}

const DEFAULT_ALPHA = 2;

/**
 * Computes the alignment metric L_align of Wang and Isola, 2020, "Understanding
 * Contrastive Representation Learning through Alignment and Uniformity on the
 * Hypersphere": the mean distance between the two views of each example.
 *
 * With u1_i and u2_i the L2-normalised rows of `z1` and `z2`:
 *
 *   alignment = 1/N Σ_i ‖u1_i − u2_i‖^α
 *
 * Lower is better. The result lies in [0, 2^α], and it is 0 for identical views.
 * Rows are normalised first because the metric is defined on the unit hypersphere.
 * It is differentiable, so it also serves as a loss. At a pair with u1_i = u2_i the
 * gradient is 0, a subgradient when α ≤ 1, where the distance has no derivative.
 *
 * @param z1 First view, `[N, D]` float32 with N ≥ 1.
 * @param z2 Second view, same shape as `z1`.
 * @param options See {@link AlignmentOptions}.
 * @returns Scalar, the mean α-th power of the distance between positive pairs.
 * @throws Error if either input is not a float32 rank-2 tensor, the shapes differ,
 *   or α is not a finite number > 0.
 */
export function alignment(
  z1: tf.Tensor2D,
  z2: tf.Tensor2D,
  options: AlignmentOptions = {},
): tf.Scalar {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  validateEmbeddingPair(z1, z2, 'alignment', { count: 1 });
  validatePositiveFinite(alpha, 'alpha', 'alignment');

  return tf.tidy(() => {
    const squaredDistances = tf.sum(tf.squaredDifference(normalizeRows(z1), normalizeRows(z2)), 1);
    if (alpha === 2) {
      return tf.mean(squaredDistances);
    }

    // d^α = (d²)^(α/2). Its derivative at d² = 0 is 0·∞ (NaN) in float arithmetic, so
    // pow() reads 1 there and the result is multiplied by 0, which also zeroes the
    // gradient. tf.step is 1 for d² > 0 and 0 otherwise, and unlike tf.greater it
    // has a gradient (zero), which tf.grad requires of every op on the path.
    const isPositive = tf.step(squaredDistances);
    const safe = tf.add(squaredDistances, tf.sub(1, isPositive));
    return tf.mean(tf.mul(tf.pow(safe, alpha / 2), isPositive));
  });
}
