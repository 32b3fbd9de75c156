import * as tf from '@tensorflow/tfjs-core';

import { assertImageBatch, perImageFactors } from './image-batch';

/**
 * Luma weights of ITU-R BT.601 for R, G and B. torchvision's `rgb_to_grayscale` uses the
 * same weights, but `tf.image.rgbToGrayscale` (tfjs-core 4.22) uses 0.2989 for red.
 */
export const LUMA_WEIGHTS = Object.freeze([0.299, 0.587, 0.114] as const);

// Any finite factor >= 0 is valid, and large ones saturate every pixel.
const MAX_FACTOR = Infinity;

/** Returns the BT.601 luma `[N, H, W, 1]` of images `[N, H, W, 3]`. */
export function luma(images: tf.Tensor4D): tf.Tensor4D {
  const [batchSize, height, width] = images.shape;
  return tf.tidy(() => {
    // A [P, 3] x [3, 1] matMul is several times faster on wasm than a multiply and a channel sum.
    const pixels = tf.reshape(images, [-1, 3]);
    const weights = tf.tensor2d([...LUMA_WEIGHTS], [3, 1]);
    return tf.reshape(tf.matMul(pixels, weights), [batchSize, height, width, 1]);
  });
}

/** Returns the BT.601 luma of images `[N, H, W, 3]` repeated in all 3 channels. */
function lumaInAllChannels(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    // Each column of this matrix is the weight vector, so one matMul yields 3 equal channels.
    const weights = tf.tensor2d(
      LUMA_WEIGHTS.flatMap((weight) => [weight, weight, weight]),
      [3, 3],
    );
    return tf.reshape(tf.matMul(tf.reshape(images, [-1, 3]), weights), images.shape);
  });
}

/**
 * Returns `clip(ratio * a + (1 - ratio) * b, 0, 1)`, the blend of torchvision's functional
 * transforms. `ratio` is `[N, 1, 1, 1]` and `b` is `[N, H, W, 3]` or `[N, 1, 1, 1]`. For
 * inputs in [0, 1], a ratio of exactly 1 returns `a` and a ratio of exactly 0 returns `b`.
 */
function blend(a: tf.Tensor4D, b: tf.Tensor4D, ratio: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const mixed = tf.add<tf.Tensor4D>(tf.mul(a, ratio), tf.mul(b, tf.sub(1, ratio)));
    return tf.clipByValue(mixed, 0, 1);
  });
}

/** Multiplies images by `factor` `[N, 1, 1, 1]` and clips to [0, 1]. Inputs are not checked. */
export function applyBrightness(images: tf.Tensor4D, factor: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.clipByValue(tf.mul<tf.Tensor4D>(images, factor), 0, 1));
}

/** Blends images with the mean of their own luma by `factor` `[N, 1, 1, 1]`. Inputs are not checked. */
export function applyContrast(images: tf.Tensor4D, factor: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const meanLuma = tf.mean<tf.Tensor4D>(luma(images), [1, 2, 3], true);
    return blend(images, meanLuma, factor);
  });
}

/** Blends images with their luma by `factor` `[N, 1, 1, 1]`. Inputs are not checked. */
export function applySaturation(images: tf.Tensor4D, factor: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => blend(images, lumaInAllChannels(images), factor));
}

/**
 * Replaces images whose `mask` entry `[N, 1, 1, 1]` is 1 by their grayscale and keeps those
 * whose entry is 0. Inputs are not checked.
 */
export function applyGrayscale(images: tf.Tensor4D, mask: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => blend(lumaInAllChannels(images), images, mask));
}

/**
 * Scales the brightness of each image: `clip(x * factor, 0, 1)`, as torchvision's
 * `adjust_brightness`.
 *
 * @param images float32 `[N, H, W, 3]` in [0, 1].
 * @param factors one factor >= 0 per image, or one for all. 1 leaves an image unchanged and
 *   0 makes it black.
 * @returns float32 `[N, H, W, 3]` in [0, 1].
 */
export function adjustBrightness(
  images: tf.Tensor4D,
  factors: number | readonly number[],
): tf.Tensor4D {
  assertImageBatch(images, 'adjustBrightness');
  return tf.tidy(() => {
    const factor = perImageFactors(factors, images.shape[0], 'brightness', 0, MAX_FACTOR);
    return applyBrightness(images, factor);
  });
}

/**
 * Scales the contrast of each image around the mean of its luma `m`:
 * `clip(factor * x + (1 - factor) * m, 0, 1)`, as torchvision's `adjust_contrast`.
 *
 * @param images float32 `[N, H, W, 3]` in [0, 1].
 * @param factors one factor >= 0 per image, or one for all. 1 leaves an image unchanged and
 *   0 makes it uniformly gray at `m`.
 * @returns float32 `[N, H, W, 3]` in [0, 1].
 */
export function adjustContrast(
  images: tf.Tensor4D,
  factors: number | readonly number[],
): tf.Tensor4D {
  assertImageBatch(images, 'adjustContrast');
  return tf.tidy(() => {
    const factor = perImageFactors(factors, images.shape[0], 'contrast', 0, MAX_FACTOR);
    return applyContrast(images, factor);
  });
}

/**
 * Scales the saturation of each image by blending it with its luma `y`:
 * `clip(factor * x + (1 - factor) * y, 0, 1)`, as torchvision's `adjust_saturation`.
 *
 * @param images float32 `[N, H, W, 3]` in [0, 1].
 * @param factors one factor >= 0 per image, or one for all. 1 leaves an image unchanged and
 *   0 returns its grayscale.
 * @returns float32 `[N, H, W, 3]` in [0, 1].
 */
export function adjustSaturation(
  images: tf.Tensor4D,
  factors: number | readonly number[],
): tf.Tensor4D {
  assertImageBatch(images, 'adjustSaturation');
  return tf.tidy(() => {
    const factor = perImageFactors(factors, images.shape[0], 'saturation', 0, MAX_FACTOR);
    return applySaturation(images, factor);
  });
}

/**
 * Converts each image to grayscale with the ITU-R BT.601 luma
 * `0.299 R + 0.587 G + 0.114 B`, repeated in all three channels.
 *
 * @param images float32 `[N, H, W, 3]` in [0, 1].
 * @returns float32 `[N, H, W, 3]` in [0, 1] with equal channels.
 */
export function grayscale(images: tf.Tensor4D): tf.Tensor4D {
  assertImageBatch(images, 'grayscale');
  return lumaInAllChannels(images);
}
