import * as tf from '@tensorflow/tfjs-core';
import { normalizeImages } from '@simclr-ts/augment';
import { sliceImages, validateDataset, type ImageDataset } from './dataset';
import type { TrainableModule } from './simclr-trainer';

/** Options of {@link extractFeatures}. */
export interface ExtractFeaturesOptions {
  /** Images per forward pass. Default 256. */
  batchSize?: number;
  /** Per-channel mean subtracted after scaling to [0, 1]; must match pretraining. Default: CIFAR-10's. */
  mean?: readonly [number, number, number];
  /** Per-channel standard deviation; must match pretraining. Default: CIFAR-10's. */
  std?: readonly [number, number, number];
  /** Divides each feature vector by its L2 norm. Default true. */
  l2Normalize?: boolean;
  /** Called after each batch with the number of images done. */
  onProgress?: (done: number, total: number) => void;
}

/** Features of a dataset: `count` rows of `dim` values, row-major. */
export interface FeatureMatrix {
  values: Float32Array;
  count: number;
  dim: number;
}

/**
 * Encodes every image of `dataset` with `encoder` in inference mode (BatchNorm
 * uses its running statistics) and returns the features, L2-normalised by
 * default.
 */
export async function extractFeatures(
  encoder: TrainableModule,
  dataset: ImageDataset,
  options: ExtractFeaturesOptions = {},
): Promise<FeatureMatrix> {
  validateDataset(dataset);
  const batchSize = options.batchSize ?? 256;
  const chunks: Float32Array[] = [];
  let dim = 0;

  for (let start = 0; start < dataset.count; start += batchSize) {
    const end = Math.min(dataset.count, start + batchSize);
    const features = tf.tidy(() => {
      const images = sliceImages(dataset, start, end);
      const normalized = normalizeImages(images, options.mean, options.std);
      const output = encoder.apply(normalized, { training: false });
      return options.l2Normalize === false ? output : l2NormalizeRows(output);
    });
    dim = features.shape[1];
    chunks.push((await features.data()) as Float32Array);
    features.dispose();
    options.onProgress?.(end, dataset.count);
    await tf.nextFrame();
  }

  const values = new Float32Array(dataset.count * dim);
  let offset = 0;
  for (const chunk of chunks) {
    values.set(chunk, offset);
    offset += chunk.length;
  }
  return { values, count: dataset.count, dim };
}

/** Divides each row of `x` `[N, D]` by its L2 norm (plus 1e-12 so a zero row stays zero). */
export function l2NormalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.add(tf.norm(x, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D);
}
