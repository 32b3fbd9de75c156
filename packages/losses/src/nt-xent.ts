import * as tf from '@tensorflow/tfjs-core';
import { maskLogits } from './mask-logits';
import { normalizeRows } from './normalize-rows';
import { validateEmbeddingPair, validatePositiveFinite } from './validate';

/** Options of {@link ntXentLoss}. */
export interface NtXentOptions {
  /**
   * Temperature τ that divides the cosine similarities. Must be finite and > 0.
   * Smaller values sharpen the softmax over negatives. Default 0.5.
   */
  temperature?: number;
}

const DEFAULT_TEMPERATURE = 0.5;

/**
 * Computes the NT-Xent (normalised temperature-scaled cross-entropy) loss of SimCLR,
 * from Chen et al., 2020, "A Simple Framework for Contrastive Learning of Visual
 * Representations", eq. 1.
 *
 * Row i of `z1` and row i of `z2` (both `[N, D]`, float32) are two views of the same
 * example and form a positive pair. The other 2N − 2 embeddings of the batch are the
 * negatives of that anchor. With u the 2N L2-normalised rows of z1 followed by z2,
 * sim(a, b) = u_a · u_b, and p(a) the positive of anchor a:
 *
 *   loss = 1/(2N) Σ_a −log( exp(sim(a, p(a))/τ) / Σ_{k≠a} exp(sim(a, k)/τ) )
 *
 * The loss is ≥ 0, and it equals log(2N − 1) when all 2N embeddings are equal.
 * Rows are normalised with an epsilon, so a zero row gives a finite loss and gradient.
 * The denominator uses log-sum-exp, so the loss stays finite for small τ.
 *
 * The gradient path uses only kernels that the tfjs cpu and wasm backends provide.
 *
 * @param z1 First view, `[N, D]` float32 with N ≥ 2. Any positive row scale is allowed.
 * @param z2 Second view, same shape as `z1`.
 * @param options See {@link NtXentOptions}.
 * @returns Scalar loss in nats, averaged over the 2N anchors.
 * @throws Error if either input is not a float32 rank-2 tensor, the shapes differ,
 *   N < 2, D = 0, or the temperature is not a finite number > 0.
 */
export function ntXentLoss(
  z1: tf.Tensor2D,
  z2: tf.Tensor2D,
  options: NtXentOptions = {},
): tf.Scalar {
  const temperature = options.temperature ?? DEFAULT_TEMPERATURE;
  validateEmbeddingPair(z1, z2, 'ntXentLoss');
  validatePositiveFinite(temperature, 'temperature', 'ntXentLoss');
  const batchSize = z1.shape[0];

  return tf.tidy(() => {
    const u1 = normalizeRows(z1);
    const u2 = normalizeRows(z2);
    const u = tf.concat([u1, u2], 0);
    const logits = tf.div(tf.matMul(u, u, false, true), temperature);

    // Cosine similarities lie in [-1, 1], so every logit lies in [-1/τ, 1/τ].
    const maskedLogits = maskLogits(logits, tf.eye(2 * batchSize), 1 / temperature);
    const logDenominators = tf.logSumExp(maskedLogits, 1);

    // Anchors i and i + N share the positive logit u1_i · u2_i / τ, so the mean of
    // the positive logits over the 2N anchors equals their mean over the N pairs.
    const positiveLogits = tf.div(tf.sum(tf.mul(u1, u2), 1), temperature);
    return tf.sub(tf.mean(logDenominators), tf.mean(positiveLogits));
  });
}
