import * as tf from '@tensorflow/tfjs-core';
import { normalizeRows } from './normalize-rows';
import { stopGradient } from './stop-gradient';
import { validateEmbeddingPair } from './validate';

/**
 * Computes the negative cosine similarity between predictions `p` and targets `z`,
 * with no gradient into the targets: the loss of SimSiam (Chen and He, 2021,
 * "Exploring Simple Siamese Representation Learning") and, up to an affine map,
 * of BYOL (Grill et al., 2020, "Bootstrap Your Own Latent").
 *
 *   loss = −1/N Σ_i p_i·z_i / (‖p_i‖ ‖z_i‖)
 *
 * The result lies in [−1, 1]. BYOL's normalised squared error ‖p̂ − ẑ‖² equals
 * 2 + 2·loss. For the symmetric loss of both papers, call it twice with the views
 * swapped and average.
 *
 * The target side is detached, the stop-gradient of both papers: the gradient with
 * respect to `z`, and so into the network that produced it, is zero. Rows are
 * normalised with an epsilon, so a zero row gives a similarity of 0 and a finite
 * gradient.
 *
 * @param p Predictions, `[N, D]` float32 with N ≥ 1.
 * @param z Targets, same shape as `p`. No gradient flows into them.
 * @returns Scalar, the mean negative cosine similarity over the N rows.
 * @throws Error if either input is not a float32 rank-2 tensor or the shapes differ.
 */
export function negativeCosineSimilarity(p: tf.Tensor2D, z: tf.Tensor2D): tf.Scalar {
  validateEmbeddingPair(p, z, 'negativeCosineSimilarity', { count: 1 }, ['p', 'z']);

  return tf.tidy(() => {
    const cosines = tf.sum(tf.mul(normalizeRows(p), normalizeRows(stopGradient(z))), 1);
    return tf.neg(tf.mean(cosines)) as tf.Scalar;
  });
}
