import * as tf from '@tensorflow/tfjs-core';

import { assertImageBatch } from '../image-batch';
import { assertOneOf } from '../validate';

/**
 * Border handling of the blur. 'reflect' mirrors the image without repeating the edge pixel
 * (torchvision's `gaussian_blur`). 'zeros' pads with 0, like the 'SAME' convolution of the
 * official SimCLR code, which darkens a border `kernelSize / 2` pixels wide.
 */
export type BlurPadding = 'reflect' | 'zeros';

/** The values of {@link BlurPadding}. */
export const BLUR_PADDINGS: readonly BlurPadding[] = Object.freeze(['reflect', 'zeros']);

/**
 * Returns the normalised 1-D Gaussian kernel of odd size `kernelSize`: weight `j` is
 * `exp(-(j - r)² / (2σ²))` divided by the sum of all weights, with `r = (kernelSize - 1) / 2`.
 * This is the kernel of torchvision's `gaussian_blur` and of the official SimCLR code.
 */
export function gaussianKernel1d(kernelSize: number, sigma: number): number[] {
  const radius = (kernelSize - 1) / 2;
  const weights = Array.from({ length: kernelSize }, (_, j) =>
    Math.exp(-((j - radius) ** 2) / (2 * sigma * sigma)),
  );
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => weight / total);
}

/** Checks a kernel size and, for reflect padding, that the image is large enough. */
export function assertKernelSize(
  kernelSize: number,
  imageHeight: number,
  imageWidth: number,
  padding: BlurPadding,
  caller: string,
): void {
  if (!(Number.isInteger(kernelSize) && kernelSize >= 1 && kernelSize % 2 === 1)) {
    throw new RangeError(
      `${caller}: kernelSize must be an odd integer >= 1, but got ${kernelSize}.`,
    );
  }
  const radius = (kernelSize - 1) / 2;
  if (padding === 'reflect' && (radius >= imageHeight || radius >= imageWidth)) {
    throw new RangeError(
      `${caller}: reflect padding needs kernelSize <= 2 · min(H, W) - 1 = ` +
        `${2 * Math.min(imageHeight, imageWidth) - 1} for ${imageHeight}×${imageWidth} images, ` +
        `but got kernelSize ${kernelSize}; use a smaller kernel or padding 'zeros'.`,
    );
  }
}

/** Checks that `sigmas` has one finite value > 0 per image of a batch of `batchSize`. */
export function assertSigmas(sigmas: readonly number[], batchSize: number, name: string): void {
  if (sigmas.length !== batchSize) {
    throw new RangeError(
      `${name} must have one value per image (${batchSize}), but got ${sigmas.length} values.`,
    );
  }
  sigmas.forEach((sigma, index) => {
    if (!(typeof sigma === 'number' && Number.isFinite(sigma) && sigma > 0)) {
      throw new RangeError(`${name}[${index}] must be a finite number > 0, but got ${sigma}.`);
    }
  });
}

/**
 * Blurs inputs that are already checked, as {@link gaussianBlur} does, with one sigma per
 * image.
 *
 * The images are laid side by side as the channels of one image `[1, H, W, N·C]`, so a single
 * depthwise convolution per axis gives every image its own kernel.
 */
export function applyGaussianBlur(
  images: tf.Tensor4D,
  kernelSize: number,
  sigmas: readonly number[],
  padding: BlurPadding,
): tf.Tensor4D {
  const [batchSize, height, width, channels] = images.shape;
  const radius = (kernelSize - 1) / 2;
  if (radius === 0) {
    return tf.clone(images);
  }

  // Filter layout [k, 1, N·C, 1] (or [1, k, N·C, 1]): entry (j, n·C + c) is weight j of image n.
  const stackedChannels = batchSize * channels;
  const filterValues = new Float32Array(kernelSize * stackedChannels);
  sigmas.forEach((sigma, image) => {
    gaussianKernel1d(kernelSize, sigma).forEach((weight, j) => {
      const offset = j * stackedChannels + image * channels;
      filterValues.fill(weight, offset, offset + channels);
    });
  });

  return tf.tidy(() => {
    const stacked = tf.reshape<tf.Rank.R4>(tf.transpose(images, [1, 2, 0, 3]), [
      1,
      height,
      width,
      stackedChannels,
    ]);
    const paddings: [number, number][] = [
      [0, 0],
      [radius, radius],
      [radius, radius],
      [0, 0],
    ];
    const padded =
      padding === 'reflect'
        ? tf.mirrorPad(stacked, paddings, 'reflect')
        : tf.pad(stacked, paddings);

    const columnFilter = tf.tensor4d(filterValues, [kernelSize, 1, stackedChannels, 1]);
    const rowFilter = tf.tensor4d(filterValues, [1, kernelSize, stackedChannels, 1]);
    const vertical = tf.depthwiseConv2d(padded, columnFilter, 1, 'valid');
    const blurred = tf.depthwiseConv2d(vertical, rowFilter, 1, 'valid');

    const unstacked = tf.reshape<tf.Rank.R4>(blurred, [height, width, batchSize, channels]);
    return tf.transpose<tf.Tensor4D>(unstacked, [2, 0, 1, 3]);
  });
}

/**
 * Blurs each image with a separable Gaussian kernel, as torchvision's `gaussian_blur`: a
 * vertical and a horizontal pass of the 1-D kernel of {@link gaussianKernel1d}. The weights
 * are positive and sum to 1, so outputs stay within the range of the inputs up to float32
 * rounding (about 1e-7).
 *
 * @param images float32 `[N, H, W, C]`.
 * @param kernelSize odd number of taps >= 1 in each direction. 1 returns the input.
 * @param sigmas standard deviation of the kernel in pixels, > 0, one per image or one for all.
 * @param padding 'reflect' (default) or 'zeros', see {@link BlurPadding}.
 * @returns float32 `[N, H, W, C]`.
 * @example
 * const soft = gaussianBlur(images, 3, 1.0); // one sigma for the batch
 */
export function gaussianBlur(
  images: tf.Tensor4D,
  kernelSize: number,
  sigmas: number | readonly number[],
  padding: BlurPadding = 'reflect',
): tf.Tensor4D {
  assertImageBatch(images, 'gaussianBlur', 'any');
  const [batchSize, height, width] = images.shape;
  assertOneOf('gaussianBlur padding', padding, BLUR_PADDINGS);
  assertKernelSize(kernelSize, height, width, padding, 'gaussianBlur');
  const values = typeof sigmas === 'number' ? new Array<number>(batchSize).fill(sigmas) : sigmas;
  assertSigmas(values, batchSize, 'gaussianBlur sigma');
  return applyGaussianBlur(images, kernelSize, values, padding);
}
