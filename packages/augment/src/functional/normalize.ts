import * as tf from '@tensorflow/tfjs-core';

import { assertImageBatch } from '../image-batch';

/** One value per colour channel, in R, G, B order. */
export type ChannelValues = readonly [number, number, number];

/** Per-channel mean of the CIFAR-10 training images, in [0, 1] units. */
export const CIFAR10_MEAN: ChannelValues = Object.freeze([0.4914, 0.4822, 0.4465] as const);

/**
 * Per-channel standard deviation over all pixels of the CIFAR-10 training images, in [0, 1]
 * units. It differs from the (0.2023, 0.1994, 0.2010) found in many CIFAR-10 scripts.
 */
export const CIFAR10_STD: ChannelValues = Object.freeze([0.247, 0.2435, 0.2616] as const);

/**
 * Per-channel mean of the ImageNet training images in [0, 1] units, the constant of
 * torchvision's ImageNet examples and pretrained models.
 */
export const IMAGENET_MEAN: ChannelValues = Object.freeze([0.485, 0.456, 0.406] as const);

/** Per-channel standard deviation that goes with {@link IMAGENET_MEAN}. */
export const IMAGENET_STD: ChannelValues = Object.freeze([0.229, 0.224, 0.225] as const);

/**
 * Checks that `mean` has `channels` finite values and `std` has `channels` finite values > 0.
 * `channels` defaults to 3 (R, G, B).
 */
export function assertChannelStats(
  mean: readonly number[],
  std: readonly number[],
  caller: string,
  channels = 3,
): void {
  const names = channels === 3 ? ' (R, G, B)' : '';
  if (mean.length !== channels || !mean.every(Number.isFinite)) {
    throw new RangeError(
      `${caller}: mean must be ${channels} finite numbers${names}, but got [${mean}].`,
    );
  }
  if (std.length !== channels || !std.every((value) => Number.isFinite(value) && value > 0)) {
    throw new RangeError(
      `${caller}: std must be ${channels} finite numbers > 0${names}, but got [${std}].`,
    );
  }
}

/**
 * Normalises inputs that are already checked, as {@link normalizeImages} does, for images of
 * `C = mean.length` channels. It computes `x · (1 / std) - mean / std` as one `[P, C] x [C, C]`
 * matMul with a bias, because on the wasm backend (tfjs 4.22) a subtraction and a division
 * broadcast over the channel axis take several times as long. The result equals
 * `(x - mean) / std` up to float32 rounding.
 */
export function applyNormalization(
  images: tf.Tensor4D,
  mean: readonly number[],
  std: readonly number[],
): tf.Tensor4D {
  const channels = mean.length;
  return tf.tidy(() => {
    const diagonal = new Float32Array(channels * channels);
    std.forEach((value, channel) => {
      diagonal[channel * channels + channel] = 1 / value;
    });
    const inverseStd = tf.tensor2d(diagonal, [channels, channels]);
    const bias = tf.tensor1d(mean.map((value, channel) => -value / std[channel]!));
    const pixels = tf.reshape<tf.Rank.R2>(images, [-1, channels]);
    const normalized = tf.fused.matMul({ a: pixels, b: inverseStd, bias });
    return tf.reshape<tf.Rank.R4>(normalized, images.shape);
  });
}

/**
 * Normalises each channel: `(x - mean[c]) / std[c]`, as torchvision's `Normalize`. Use it on
 * evaluation inputs so they match the views of {@link simclrAugment}.
 *
 * @param images float32 `[N, H, W, 3]`, usually in [0, 1].
 * @param mean per-channel mean, by default {@link CIFAR10_MEAN}.
 * @param std per-channel standard deviation, each > 0, by default {@link CIFAR10_STD}.
 * @returns float32 `[N, H, W, 3]`, no longer in [0, 1]: within [-1.99, 2.13] for the CIFAR-10 defaults.
 */
export function normalizeImages(
  images: tf.Tensor4D,
  mean: ChannelValues = CIFAR10_MEAN,
  std: ChannelValues = CIFAR10_STD,
): tf.Tensor4D {
  assertImageBatch(images, 'normalizeImages');
  assertChannelStats(mean, std, 'normalizeImages');
  return applyNormalization(images, mean, std);
}
