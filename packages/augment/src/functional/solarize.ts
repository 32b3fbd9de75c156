import * as tf from '@tensorflow/tfjs-core';

import { assertImageBatch, perImageFactors } from '../image-batch';

/** Solarizes images with a threshold `[N, 1, 1, 1]` per image. Inputs are not checked. */
export function applySolarize(images: tf.Tensor4D, threshold: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const inverted = tf.sub<tf.Tensor4D>(1, images);
    return tf.where(tf.greaterEqual(images, threshold), inverted, images);
  });
}

/**
 * Solarizes each image: every value at or above the image's threshold `t` becomes `1 - x`,
 * and the others are kept, as torchvision's `solarize` for float images (bound 1). A
 * threshold of 0 inverts the whole image. Solarization is not part of SimCLR's augmentations.
 *
 * @param images float32 `[N, H, W, C]` in [0, 1].
 * @param thresholds one threshold in [0, 1] per image, or one for all.
 * @returns float32 `[N, H, W, C]` in [0, 1].
 */
export function solarize(images: tf.Tensor4D, thresholds: number | readonly number[]): tf.Tensor4D {
  assertImageBatch(images, 'solarize', 'any');
  return tf.tidy(() => {
    const threshold = perImageFactors(thresholds, images.shape[0], 'solarize threshold', 0, 1);
    return applySolarize(images, threshold);
  });
}
