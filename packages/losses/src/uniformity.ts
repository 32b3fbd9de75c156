import * as tf from '@tensorflow/tfjs-core';
import { maskLogits } from './mask-logits';
import { normalizeRows } from './normalize-rows';
import { validateEmbeddings, validateMinRows, validatePositiveFinite } from './validate';

/** Options of {@link uniformity}. */
export interface UniformityOptions {
  /** Scale t of the Gaussian potential. Must be finite and > 0. Default 2. */
  t?: number;
}

const DEFAULT_T = 2;

/**
 * Computes the uniformity metric L_uniform of Wang and Isola, 2020, "Understanding
 * Contrastive Representation Learning through Alignment and Uniformity on the
 * Hypersphere": the log of the mean Gaussian potential between distinct examples.
 *
 * With u_i the L2-normalised rows of `z`:
 *
 *   uniformity = log( 1/(N(N − 1)) Σ_{i≠j} exp(−t ‖u_i − u_j‖²) )
 *
 * Lower is better: embeddings spread evenly over the hypersphere give low values.
 * The result lies in [−4t, 0], and it is 0 when all rows point the same way. The
 * mean runs over the N(N − 1)/2 unordered pairs, each counted twice, and uses
 * log-sum-exp. The metric is differentiable, so it also serves as a loss.
 *
 * @param z Embeddings, `[N, D]` float32 with N ≥ 2.
 * @param options See {@link UniformityOptions}.
 * @returns Scalar, the log mean potential over pairs of distinct rows.
 * @throws Error if `z` is not a float32 rank-2 tensor, N < 2, or t is not a finite
 *   number > 0.
 */
export function uniformity(z: tf.Tensor2D, options: UniformityOptions = {}): tf.Scalar {
  const t = options.t ?? DEFAULT_T;
  validateEmbeddings(z, 'z', 'uniformity');
  validateMinRows(z, 'z', { count: 2, reason: 'to form a pair' }, 'uniformity');
  validatePositiveFinite(t, 't', 'uniformity');
  const batchSize = z.shape[0];

  return tf.tidy(() => {
    const u = normalizeRows(z);

    // ‖u_i − u_j‖² = ‖u_i‖² + ‖u_j‖² − 2 u_i·u_j. The squared norms are 1, except
    // for a zero row, which normalises to 0.
    const squaredNorms = tf.sum(tf.square(u), 1, true);
    const gram = tf.matMul(u, u, false, true);
    const squaredDistances = tf.sub(
      tf.add(squaredNorms, tf.transpose(squaredNorms)),
      tf.mul(gram, 2),
    );

    const logits = tf.mul(squaredDistances, -t);
    const maskedLogits = maskLogits(logits, tf.eye(batchSize), 4 * t);
    const pairCount = batchSize * (batchSize - 1);
    return tf.sub(tf.logSumExp(maskedLogits), Math.log(pairCount));
  });
}
