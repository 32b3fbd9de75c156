import * as tf from '@tensorflow/tfjs-core';

import { assertImageBatch, perImageFactors } from '../image-batch';
import { assertOneOf } from '../validate';

/**
 * Luma weights of ITU-R BT.601 for R, G and B, as in PIL's `convert('L')` (299/1000, 587/1000,
 * 114/1000). The tensor kernel of torchvision's `rgb_to_grayscale` and `tf.image.rgbToGrayscale`
 * (tfjs-core 4.22) use 0.2989 for red instead, which changes a luma by at most 1e-4.
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

/**
 * Target of the contrast blend. 'grayscale' is the mean of the image's BT.601 luma, one value
 * per image (torchvision's `adjust_contrast`). 'channel' is the mean of each channel, three
 * values per image (TensorFlow's `tf.image.adjust_contrast`, which the official SimCLR code
 * calls).
 */
export type ContrastMean = 'grayscale' | 'channel';

/** The values of {@link ContrastMean}. */
export const CONTRAST_MEANS: readonly ContrastMean[] = Object.freeze(['grayscale', 'channel']);

/**
 * Blends images with their mean (see {@link ContrastMean}) by `factor` `[N, 1, 1, 1]`. Inputs
 * are not checked.
 */
export function applyContrast(
  images: tf.Tensor4D,
  factor: tf.Tensor4D,
  mean: ContrastMean = 'grayscale',
): tf.Tensor4D {
  return tf.tidy(() => {
    const target =
      mean === 'grayscale'
        ? tf.mean<tf.Tensor4D>(luma(images), [1, 2, 3], true)
        : tf.mean<tf.Tensor4D>(images, [1, 2], true);
    return blend(images, target, factor);
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
 * Scales the contrast of each image around its mean `m`:
 * `clip(factor * x + (1 - factor) * m, 0, 1)`. With the default `mean: 'grayscale'`, `m` is the
 * mean of the image's luma, as in torchvision's `adjust_contrast`. With 'channel', `m` is the
 * mean of each channel, as in TensorFlow's `tf.image.adjust_contrast` (see {@link ContrastMean}).
 *
 * @param images float32 `[N, H, W, 3]` in [0, 1].
 * @param factors one factor >= 0 per image, or one for all. 1 leaves an image unchanged and
 *   0 makes it uniformly `m`.
 * @param mean what to blend with, 'grayscale' (default) or 'channel'.
 * @returns float32 `[N, H, W, 3]` in [0, 1].
 */
export function adjustContrast(
  images: tf.Tensor4D,
  factors: number | readonly number[],
  mean: ContrastMean = 'grayscale',
): tf.Tensor4D {
  assertImageBatch(images, 'adjustContrast');
  assertOneOf('adjustContrast mean', mean, CONTRAST_MEANS);
  return tf.tidy(() => {
    const factor = perImageFactors(factors, images.shape[0], 'contrast', 0, MAX_FACTOR);
    return applyContrast(images, factor, mean);
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

/**
 * Converts each image to its ITU-R BT.601 luma `0.299 R + 0.587 G + 0.114 B`, in one channel
 * or repeated in three, like torchvision's `rgb_to_grayscale(img, num_output_channels)`.
 *
 * @param images float32 `[N, H, W, 3]` in [0, 1].
 * @param outputChannels 1 (default) for `[N, H, W, 1]`, or 3 for `[N, H, W, 3]` with equal
 *   channels, which equals {@link grayscale}.
 * @returns float32 in [0, 1].
 */
export function rgbToGrayscale(images: tf.Tensor4D, outputChannels: 1 | 3 = 1): tf.Tensor4D {
  assertImageBatch(images, 'rgbToGrayscale');
  if (outputChannels !== 1 && outputChannels !== 3) {
    throw new RangeError(
      `rgbToGrayscale: outputChannels must be 1 or 3, but got ${outputChannels}.`,
    );
  }
  return outputChannels === 1 ? luma(images) : lumaInAllChannels(images);
}
