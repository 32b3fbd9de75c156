import * as tf from '@tensorflow/tfjs-core';
import { validateEmbeddingPair, validateNonNegativeFinite } from './validate';

/** Options of {@link barlowTwinsLoss}. */
export interface BarlowTwinsOptions {
  /**
   * Weight λ of the off-diagonal (redundancy reduction) term. Must be finite and ≥ 0.
   * Default 5e-3.
   */
  lambda?: number;
}

const DEFAULT_LAMBDA = 5e-3;

// Added to each feature's variance before the square root, as BatchNorm1d does
// (PyTorch's default eps). A constant feature then standardises to 0, not 0/0.
const VARIANCE_EPSILON = 1e-5;

/**
 * Computes the Barlow Twins loss of Zbontar et al., 2021, "Barlow Twins:
 * Self-Supervised Learning via Redundancy Reduction".
 *
 * Each column (feature) of `z1` and `z2` is standardised over the batch:
 * ẑ = (z − mean) / sqrt(var + 1e-5), with the biased variance (divided by N). The
 * cross-correlation matrix of the two views is C = ẑ1ᵀ ẑ2 / N, of shape `[D, D]`, and
 *
 *   loss = Σ_i (1 − C_ii)² + λ Σ_i Σ_{j≠i} C_ij²
 *
 * The loss is ≥ 0. It is near 0 when the views agree feature by feature and the
 * features are decorrelated. A feature i that is constant over the batch in a view
 * standardises to 0, which zeroes row i of C (column i, for z2). So it adds 1
 * through C_ii = 0, and the gradient stays finite.
 *
 * Porting note: the standardisation matches BatchNorm1d(affine=False) in training
 * mode, which the authors' reference code applies (github.com/facebookresearch/barlowtwins).
 * So C_ii is 1 for identical views, up to the epsilon.
 *
 * NOTE: the epsilon is absolute, so features whose variance is not well above 1e-5
 * are shrunk towards 0, and the loss is not invariant to rescaling them.
 *
 * @param z1 First view, `[N, D]` float32 with N ≥ 2.
 * @param z2 Second view, same shape as `z1`.
 * @param options See {@link BarlowTwinsOptions}.
 * @returns Scalar loss (a sum over D² terms, so it grows with D).
 * @throws Error if either input is not a float32 rank-2 tensor, the shapes differ,
 *   N < 2, or λ is not a finite number ≥ 0.
 */
export function barlowTwinsLoss(
  z1: tf.Tensor2D,
  z2: tf.Tensor2D,
  options: BarlowTwinsOptions = {},
): tf.Scalar {
  const lambda = options.lambda ?? DEFAULT_LAMBDA;
  const caller = 'barlowTwinsLoss';
  validateEmbeddingPair(z1, z2, caller, {
    count: 2,
    reason: 'to standardise each feature over the batch',
  });
  validateNonNegativeFinite(lambda, 'lambda', caller);
  const [batchSize, dimension] = z1.shape;

  return tf.tidy(() => {
    const crossCorrelation = tf.div(
      tf.matMul(standardiseColumns(z1), standardiseColumns(z2), true, false),
      batchSize,
    );

    const identity = tf.eye(dimension);
    const onDiagonal = tf.sum(tf.square(tf.mul(tf.sub(crossCorrelation, 1), identity)));
    const offDiagonal = tf.sum(tf.square(tf.mul(crossCorrelation, tf.sub(1, identity))));
    return tf.add(onDiagonal, tf.mul(offDiagonal, lambda));
  });
}

function standardiseColumns(z: tf.Tensor2D): tf.Tensor2D {
  const centered = tf.sub(z, tf.mean(z, 0, true));
  const variance = tf.mean(tf.square(centered), 0, true);
  return tf.div(centered, tf.sqrt(tf.add(variance, VARIANCE_EPSILON)));
}
