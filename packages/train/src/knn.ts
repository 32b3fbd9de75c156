import * as tf from '@tensorflow/tfjs-core';
import type { FeatureMatrix } from './features';
import { accuracyOf, checkFeaturePair } from './linear-probe';
import { selectTopK } from './top-k';

/** Options of {@link knnClassify}. */
export interface KnnOptions {
  /** Neighbours that vote. Default 200. */
  k?: number;
  /** Temperature τ of the vote weights exp(s / τ). Default 0.1. */
  temperature?: number;
  /** Number of classes. Default: one more than the largest training label. */
  numClasses?: number;
  /** Test rows scored at once; bounds memory at chunk × training rows floats. Default 256. */
  chunkSize?: number;
}

/** Result of {@link knnClassify}. */
export interface KnnResult {
  /** Top-1 accuracy on the test features, in [0, 1]. */
  accuracy: number;
  predictions: Uint8Array;
}

/**
 * Weighted k-nearest-neighbour classification with cosine similarity, the
 * monitor of Wu et al., 2018 ("Unsupervised Feature Learning via
 * Non-Parametric Instance Discrimination", Section 3.4): each of the k most
 * similar training rows votes for its class with weight exp(s / τ). Features
 * must already be L2-normalised, so that dot products are cosines.
 */
export async function knnClassify(
  train: FeatureMatrix,
  trainLabels: Uint8Array,
  test: FeatureMatrix,
  testLabels: Uint8Array,
  options: KnnOptions = {},
): Promise<KnnResult> {
  checkFeaturePair(train, trainLabels, test, testLabels);
  const k = Math.min(options.k ?? 200, train.count);
  const temperature = options.temperature ?? 0.1;
  if (!(temperature > 0)) {
    throw new Error(`Invalid kNN temperature ${temperature}: expected a number above 0.`);
  }
  const numClasses = options.numClasses ?? Math.max(...trainLabels) + 1;
  const chunkSize = options.chunkSize ?? 256;

  // Transposed once up front: wasm's matMul with a transposed operand is slow.
  const bank = tf.tidy(() => tf.transpose(tf.tensor2d(train.values, [train.count, train.dim])));
  const predictions = new Uint8Array(test.count);
  const scratch = new Int32Array(train.count);
  const neighbours = new Int32Array(k);
  const scores = new Float64Array(numClasses);

  for (let start = 0; start < test.count; start += chunkSize) {
    const end = Math.min(test.count, start + chunkSize);
    const similarity = tf.tidy(() => {
      const queries = tf.tensor2d(test.values.subarray(start * test.dim, end * test.dim), [
        end - start,
        test.dim,
      ]);
      return tf.matMul(queries, bank);
    });
    const values = (await similarity.data()) as Float32Array;
    similarity.dispose();

    for (let row = 0; row < end - start; row++) {
      const offset = row * train.count;
      selectTopK(values, offset, train.count, k, scratch, neighbours);
      scores.fill(0);
      for (const index of neighbours) {
        scores[trainLabels[index]!]! += Math.exp(values[offset + index]! / temperature);
      }
      predictions[start + row] = argMax(scores);
    }
    await tf.nextFrame();
  }

  bank.dispose();
  return { accuracy: accuracyOf(predictions, testLabels), predictions };
}

function argMax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    if (values[i]! > values[best]!) {
      best = i;
    }
  }
  return best;
}
