import * as tf from '@tensorflow/tfjs-core';
import { validateEmbeddingPair, validateNonNegativeFinite } from './validate';

/** Options of {@link vicRegLoss}. The defaults are those of the authors' reference code. */
export interface VicRegOptions {
  /** Weight λ of the invariance (mean squared error) term. Finite and ≥ 0. Default 25. */
  similarityWeight?: number;
  /** Weight μ of the variance (hinge on the standard deviation) term. Finite and ≥ 0. Default 25. */
  varianceWeight?: number;
  /** Weight ν of the covariance (off-diagonal) term. Finite and ≥ 0. Default 1. */
  covarianceWeight?: number;
}

const DEFAULT_SIMILARITY_WEIGHT = 25;
const DEFAULT_VARIANCE_WEIGHT = 25;
const DEFAULT_COVARIANCE_WEIGHT = 1;

// Target standard deviation γ of every feature, and the ε added to the variance
// before the square root, as in the authors' reference code.
const TARGET_STD = 1;
const VARIANCE_EPSILON = 1e-4;

/**
 * Computes the VICReg loss of Bardes et al., 2022, "VICReg:
 * Variance-Invariance-Covariance Regularization for Self-Supervised Learning".
 *
 * With z1 and z2 of shape `[N, D]`, Var the unbiased variance of a column over the
 * batch (divided by N − 1) and Cov(Z) = Z̄ᵀ Z̄ / (N − 1) for the centred Z̄:
 *
 *   s(z1, z2) = 1/(N·D) Σ_{i,d} (z1_id − z2_id)²
 *   v(Z)      = 1/D Σ_d max(0, 1 − sqrt(Var(Z_d) + 1e-4))
 *   c(Z)      = 1/D Σ_{i≠j} Cov(Z)_ij²
 *   loss      = λ s(z1, z2) + μ (v(z1) + v(z2)) / 2 + ν (c(z1) + c(z2))
 *
 * The loss is ≥ 0. It is not invariant to the scale of the embeddings: the
 * invariance and covariance terms grow with it, and the variance term is 0 only when
 * every feature has a standard deviation of at least about 1. A feature that is constant over the
 * batch adds 0.99 / D to v, and its variance term has a gradient of 0 there, not NaN.
 *
 * Porting note: the 1/(N·D) of s and the halved variance term follow the authors'
 * reference code (github.com/facebookresearch/vicreg, main_vicreg.py), whose
 * default weights 25, 25 and 1 were tuned with that scaling.
 *
 * @param z1 First view, `[N, D]` float32 with N ≥ 2.
 * @param z2 Second view, same shape as `z1`.
 * @param options See {@link VicRegOptions}.
 * @returns Scalar loss.
 * @throws Error if either input is not a float32 rank-2 tensor, the shapes differ,
 *   N < 2, or a weight is not a finite number ≥ 0.
 */
export function vicRegLoss(
  z1: tf.Tensor2D,
  z2: tf.Tensor2D,
  options: VicRegOptions = {},
): tf.Scalar {
  const similarityWeight = options.similarityWeight ?? DEFAULT_SIMILARITY_WEIGHT;
  const varianceWeight = options.varianceWeight ?? DEFAULT_VARIANCE_WEIGHT;
  const covarianceWeight = options.covarianceWeight ?? DEFAULT_COVARIANCE_WEIGHT;
  const caller = 'vicRegLoss';
  validateEmbeddingPair(z1, z2, caller, {
    count: 2,
    reason: 'to estimate the variance of each feature',
  });
  validateNonNegativeFinite(similarityWeight, 'similarityWeight', caller);
  validateNonNegativeFinite(varianceWeight, 'varianceWeight', caller);
  validateNonNegativeFinite(covarianceWeight, 'covarianceWeight', caller);

  return tf.tidy(() => {
    const invariance = tf.mean(tf.squaredDifference(z1, z2));
    const variance = tf.div(tf.add(varianceTerm(z1), varianceTerm(z2)), 2);
    const covariance = tf.add(covarianceTerm(z1), covarianceTerm(z2));

    return tf.addN([
      tf.mul(invariance, similarityWeight),
      tf.mul(variance, varianceWeight),
      tf.mul(covariance, covarianceWeight),
    ]) as tf.Scalar;
  });
}

function centerColumns(z: tf.Tensor2D): tf.Tensor2D {
  return tf.sub(z, tf.mean(z, 0, true));
}

function varianceTerm(z: tf.Tensor2D): tf.Scalar {
  const centered = centerColumns(z);
  const variance = tf.div(tf.sum(tf.square(centered), 0), z.shape[0] - 1);
  const std = tf.sqrt(tf.add(variance, VARIANCE_EPSILON));
  return tf.mean(tf.relu(tf.sub(TARGET_STD, std)));
}

function covarianceTerm(z: tf.Tensor2D): tf.Scalar {
  const centered = centerColumns(z);
  const dimension = z.shape[1];
  const covariance = tf.div(tf.matMul(centered, centered, true, false), z.shape[0] - 1);
  const offDiagonal = tf.mul(covariance, tf.sub(1, tf.eye(dimension)));
  return tf.div(tf.sum(tf.square(offDiagonal)), dimension);
}
