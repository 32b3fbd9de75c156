import * as tf from '@tensorflow/tfjs-core';
import { normalizeRows } from './normalize-rows';
import {
  formatShape,
  validateEmbeddingPair,
  validateEmbeddings,
  validateMinRows,
  validatePositiveFinite,
} from './validate';

/** Options of {@link infoNceLoss}. */
export interface InfoNceOptions {
  /**
   * Temperature τ that divides the cosine similarities. Must be finite and > 0.
   * Default 0.07, the default of MoCo's reference code.
   */
  temperature?: number;
}

const DEFAULT_TEMPERATURE = 0.07;

/**
 * Computes the InfoNCE loss of a batch of queries against one positive key each
 * and a shared bank of negative keys, as MoCo uses it (He et al., 2020, "Momentum
 * Contrast for Unsupervised Visual Representation Learning"). The loss itself is van den
 * Oord et al.'s (2018, "Representation Learning with Contrastive Predictive Coding").
 *
 * With q_i, k_i and n_j the L2-normalised rows of `query`, `positiveKey` and
 * `negatives`:
 *
 *   loss = 1/N Σ_i −log( exp(q_i·k_i/τ) / (exp(q_i·k_i/τ) + Σ_{j=1..K} exp(q_i·n_j/τ)) )
 *
 * The loss is ≥ 0 and equals log(K + 1) when every query, key and negative is the
 * same vector. Unlike {@link ntXentLoss}, the other rows of the batch are not
 * negatives: only the K rows of `negatives` are. The denominator uses log-sum-exp,
 * so the loss stays finite for small τ.
 *
 * Gradients flow into all three inputs. In MoCo, the keys come from a momentum
 * encoder that is not trained by gradient, so compute them outside the function
 * passed to `tf.grad` or `optimizer.minimize`.
 *
 * @param query Queries, `[N, D]` float32 with N ≥ 1.
 * @param positiveKey The positive key of each query, same shape as `query`.
 * @param negatives Negative keys shared by all queries, `[K, D]` float32 with K ≥ 1,
 *   for example {@link KeyQueue.keys}.
 * @param options See {@link InfoNceOptions}.
 * @returns Scalar loss in nats, averaged over the N queries.
 * @throws Error if an input is not a float32 rank-2 tensor, `query` and
 *   `positiveKey` differ in shape, `negatives` has another D or no rows, or the
 *   temperature is not a finite number > 0.
 */
export function infoNceLoss(
  query: tf.Tensor2D,
  positiveKey: tf.Tensor2D,
  negatives: tf.Tensor2D,
  options: InfoNceOptions = {},
): tf.Scalar {
  const temperature = options.temperature ?? DEFAULT_TEMPERATURE;
  const caller = 'infoNceLoss';
  validateEmbeddingPair(query, positiveKey, caller, { count: 1 }, ['query', 'positiveKey']);
  validateNegatives(negatives, query, caller);
  validatePositiveFinite(temperature, 'temperature', caller);

  return tf.tidy(() => {
    const q = normalizeRows(query);
    const k = normalizeRows(positiveKey);
    const n = normalizeRows(negatives);

    const positiveLogits = tf.div(tf.sum(tf.mul(q, k), 1, true), temperature);
    const negativeLogits = tf.div(tf.matMul(q, n, false, true), temperature);
    const logDenominators = tf.logSumExp(tf.concat([positiveLogits, negativeLogits], 1), 1);
    return tf.mean(tf.sub(logDenominators, tf.reshape(positiveLogits, [-1])));
  });
}

function validateNegatives(negatives: tf.Tensor, query: tf.Tensor, caller: string): void {
  validateEmbeddings(negatives, 'negatives', caller);

  if (negatives.shape[1] !== query.shape[1]) {
    throw new Error(
      `${caller}: negatives must have the same number of columns D as query, ` +
        `got negatives of shape ${formatShape(negatives.shape)} and query of shape ` +
        `${formatShape(query.shape)}. Queries and keys must come from heads with the ` +
        `same output dimension.`,
    );
  }

  validateMinRows(
    negatives,
    'negatives',
    { count: 1, symbol: 'K', reason: '(a KeyQueue is empty until its first enqueue)' },
    caller,
  );
}
