import * as tf from '@tensorflow/tfjs-core';

/**
 * Images in memory as one uint8 array, NHWC, the layout that
 * `@simclr-ts/cifar` returns.
 */
export interface ImageDataset {
  /** Pixel values 0–255, `[count, height, width, channels]` in row-major order. */
  images: Uint8Array;
  /** Class index of each image; evaluation needs it, pretraining does not. */
  labels?: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

/** Checks that the array lengths agree with the declared shape. */
export function validateDataset(dataset: ImageDataset, name = 'dataset'): void {
  const { images, labels, count, height, width, channels } = dataset;
  for (const [field, value] of Object.entries({ count, height, width, channels })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`Invalid ${name}.${field} ${value}: expected a positive integer.`);
    }
  }
  const expected = count * height * width * channels;
  if (images.length !== expected) {
    throw new Error(
      `Invalid ${name}: images has ${images.length} values but count × height × width × channels = ${expected}.`,
    );
  }
  if (labels !== undefined && labels.length !== count) {
    throw new Error(`Invalid ${name}: labels has ${labels.length} entries but count is ${count}.`);
  }
}

/** Returns the first `count` images (and labels) of `dataset`, sharing memory. */
export function takeSubset<T extends ImageDataset>(dataset: T, count: number): T {
  if (!Number.isInteger(count) || count < 1 || count > dataset.count) {
    throw new Error(
      `Invalid subset size ${count}: expected an integer from 1 to ${dataset.count}.`,
    );
  }
  const imageSize = dataset.height * dataset.width * dataset.channels;
  return {
    ...dataset,
    count,
    images: dataset.images.subarray(0, count * imageSize),
    labels: dataset.labels?.subarray(0, count),
  } as T;
}

/**
 * Copies the images at `indices` into a float32 tensor `[indices.length, H, W,
 * C]` with values in [0, 1].
 */
export function gatherImages(dataset: ImageDataset, indices: ArrayLike<number>): tf.Tensor4D {
  const imageSize = dataset.height * dataset.width * dataset.channels;
  const values = new Float32Array(indices.length * imageSize);
  for (let i = 0; i < indices.length; i++) {
    const source = indices[i]! * imageSize;
    const target = i * imageSize;
    for (let j = 0; j < imageSize; j++) {
      values[target + j] = dataset.images[source + j]! / 255;
    }
  }
  return tf.tensor4d(values, [indices.length, dataset.height, dataset.width, dataset.channels]);
}

/** Copies the images from `start` (inclusive) to `end` (exclusive); see {@link gatherImages}. */
export function sliceImages(dataset: ImageDataset, start: number, end: number): tf.Tensor4D {
  const indices = Array.from({ length: end - start }, (_, i) => start + i);
  return gatherImages(dataset, indices);
}
