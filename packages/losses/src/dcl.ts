import * as tf from '@tensorflow/tfjs-core';
import { maskLogits, positivePairMask } from './mask-logits';
import { normalizeRows } from './normalize-rows';
import { validateEmbeddingPair, validatePositiveFinite } from './validate';

/** Options of {@link dclLoss}. */
export interface DclOptions {
  /**
   * Temperature τ that divides the cosine similarities. Must be finite and > 0.
   * Default 0.1, the default of the authors' reference code.
   */
  temperature?: number;
  /**
   * Whether to weight the positive term with the negative von Mises-Fisher weights
   * of DCLW. Default false.
   */
  weighted?: boolean;
  /** Scale σ of the DCLW weights, used only when `weighted` is true. Must be > 0. Default 0.5. */
  sigma?: number;
}

const DEFAULT_TEMPERATURE = 0.1;
const DEFAULT_SIGMA = 0.5;

/**
 * Computes the decoupled contrastive loss (DCL) of Yeh et al., 2022, "Decoupled
 * Contrastive Learning", or its weighted variant DCLW.
 *
 * DCL is NT-Xent with the positive pair removed from the denominator. With u the 2N
 * L2-normalised rows of z1 followed by z2, p(a) the other view of anchor a's example
 * and N(a) the 2N − 2 indices other than a and p(a):
 *
 *   loss = 1/(2N) Σ_a ( −w_a · u_a·u_p(a)/τ + log Σ_{k∈N(a)} exp(u_a·u_k/τ) )
 *
 * DCL uses w_a = 1. DCLW uses w_a = 2 − exp(s_i/σ) / mean_j exp(s_j/σ), where
 * s_i = u1_i·u2_i is the cosine similarity of the pair i that anchor a belongs to,
 * so pairs that are already close get less weight. The weights have mean 1 over the
 * batch, and the gradient flows through them as in the authors' reference code.
 *
 * The loss can be negative, because the positive is no longer in the denominator.
 * When all 2N embeddings are equal it equals log(2N − 2), weighted or not.
 *
 * Porting note: the reference code (github.com/raminnakhli/Decoupled-Contrastive-Learning)
 * sums the losses of the two views; this function averages over both, so it returns
 * half of that sum, the same scale as {@link ntXentLoss}.
 *
 * @param z1 First view, `[N, D]` float32 with N ≥ 2.
 * @param z2 Second view, same shape as `z1`.
 * @param options See {@link DclOptions}.
 * @returns Scalar loss in nats, averaged over the 2N anchors.
 * @throws Error if either input is not a float32 rank-2 tensor, the shapes differ,
 *   N < 2, or the temperature or σ is not a finite number > 0.
 */
export function dclLoss(z1: tf.Tensor2D, z2: tf.Tensor2D, options: DclOptions = {}): tf.Scalar {
  const temperature = options.temperature ?? DEFAULT_TEMPERATURE;
  const weighted = options.weighted ?? false;
  const sigma = options.sigma ?? DEFAULT_SIGMA;
  const caller = 'dclLoss';
  validateEmbeddingPair(z1, z2, caller);
  validatePositiveFinite(temperature, 'temperature', caller);
  validatePositiveFinite(sigma, 'sigma', caller);
  const batchSize = z1.shape[0];

  return tf.tidy(() => {
    const u1 = normalizeRows(z1);
    const u2 = normalizeRows(z2);
    const u = tf.concat([u1, u2], 0);
    const logits = tf.div(tf.matMul(u, u, false, true), temperature);

    const excluded = tf.add(tf.eye(2 * batchSize), positivePairMask(batchSize));
    const maskedLogits = maskLogits(logits, excluded, 1 / temperature);
    const logDenominators = tf.logSumExp(maskedLogits, 1);

    // Anchors i and i + N share the pair similarity s_i, and so its weight, so the mean
    // over the 2N anchors of the positive term equals its mean over the N pairs.
    const pairSimilarities = tf.sum(tf.mul(u1, u2), 1);
    let positiveTerms = tf.div(pairSimilarities, temperature);
    if (weighted) {
      // N · softmax(s/σ) is exp(s_i/σ) / mean_j exp(s_j/σ), computed without overflow.
      const relative = tf.mul(tf.softmax(tf.div(pairSimilarities, sigma)), batchSize);
      positiveTerms = tf.mul(tf.sub(2, relative), positiveTerms);
    }
    return tf.sub(tf.mean(logDenominators), tf.mean(positiveTerms));
  });
}
