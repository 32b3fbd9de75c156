import * as tf from '@tensorflow/tfjs-core';
import { maskLogits } from './mask-logits';
import { normalizeRows } from './normalize-rows';
import { formatShape, validateEmbeddingPair, validatePositiveFinite } from './validate';

/** Options of {@link supConLoss}. */
export interface SupConOptions {
  /**
   * Temperature τ that divides the cosine similarities. Must be finite and > 0.
   * Default 0.07, the default of the authors' reference code.
   */
  temperature?: number;
}

const DEFAULT_TEMPERATURE = 0.07;

/**
 * Computes the supervised contrastive loss L^sup_out of Khosla et al., 2020,
 * "Supervised Contrastive Learning", which averages the log-probabilities of the
 * positives outside the logarithm.
 *
 * Row i of `z1` and row i of `z2` (both `[N, D]`, float32) are two views of an
 * example of class `labels[i]`. Both views serve as anchors. With u the 2N
 * L2-normalised rows of z1 followed by z2, y their labels, A(a) every index but a,
 * and P(a) = { p ∈ A(a) : y_p = y_a } the positives of anchor a:
 *
 *   loss = 1/(2N) Σ_a −1/|P(a)| Σ_{p∈P(a)} log( exp(u_a·u_p/τ) / Σ_{k∈A(a)} exp(u_a·u_k/τ) )
 *
 * P(a) always contains the other view of a's example, so a class that appears once
 * in the batch still gives a defined loss. When every label is distinct, the loss
 * equals {@link ntXentLoss} with the same temperature. When all 2N embeddings are
 * equal, it equals log(2N − 1) whatever the labels. The denominator uses
 * log-sum-exp, so the loss stays finite for small τ.
 *
 * @param z1 First view, `[N, D]` float32 with N ≥ 2.
 * @param z2 Second view, same shape as `z1`.
 * @param labels Class of each example, `[N]` int32. Any integer values.
 * @param options See {@link SupConOptions}.
 * @returns Scalar loss in nats, averaged over the 2N anchors.
 * @throws Error if `z1` or `z2` is not a float32 rank-2 tensor, their shapes differ,
 *   N < 2, `labels` is not an int32 tensor of shape `[N]`, or the temperature is not
 *   a finite number > 0.
 */
export function supConLoss(
  z1: tf.Tensor2D,
  z2: tf.Tensor2D,
  labels: tf.Tensor1D,
  options: SupConOptions = {},
): tf.Scalar {
  const temperature = options.temperature ?? DEFAULT_TEMPERATURE;
  const caller = 'supConLoss';
  validateEmbeddingPair(z1, z2, caller);
  validateLabels(labels, z1, caller);
  validatePositiveFinite(temperature, 'temperature', caller);
  const batchSize = z1.shape[0];

  return tf.tidy(() => {
    const u = tf.concat([normalizeRows(z1), normalizeRows(z2)], 0);
    const logits = tf.div(tf.matMul(u, u, false, true), temperature);
    const identity = tf.eye(2 * batchSize);
    const maskedLogits = maskLogits(logits, identity, 1 / temperature);
    const logProbabilities = tf.sub(maskedLogits, tf.logSumExp(maskedLogits, 1, true));

    // The labels only build a constant mask, so no gather sits in the gradient path.
    const y = tf.concat([labels, labels], 0);
    const sameClass = tf.cast(tf.equal(tf.reshape(y, [-1, 1]), tf.reshape(y, [1, -1])), 'float32');
    const positives = tf.sub(sameClass, identity);

    // Masked entries of logProbabilities are finite, so multiplying them by 0 gives 0.
    const positiveSums = tf.sum(tf.mul(positives, logProbabilities), 1);
    const meanLogProbabilities = tf.div(positiveSums, tf.sum(positives, 1));
    return tf.neg(tf.mean(meanLogProbabilities)) as tf.Scalar;
  });
}

function validateLabels(labels: tf.Tensor, z1: tf.Tensor, caller: string): void {
  if (labels == null || !Array.isArray(labels.shape)) {
    throw new TypeError(
      `${caller}: labels must be an int32 tf.Tensor of shape [N], got ${String(labels)}.`,
    );
  }

  if (labels.rank !== 1 || labels.shape[0] !== z1.shape[0]) {
    throw new Error(
      `${caller}: labels must have shape [N] = [${z1.shape[0]}] to match z1 of shape ` +
        `${formatShape(z1.shape)}, got ${formatShape(labels.shape)}. Pass one class per ` +
        `example, for example tf.tensor1d(classes, 'int32').`,
    );
  }

  if (labels.dtype !== 'int32') {
    throw new Error(
      `${caller}: labels must have dtype int32, got ${labels.dtype}. ` +
        `Convert it with tf.cast(labels, 'int32').`,
    );
  }
}
