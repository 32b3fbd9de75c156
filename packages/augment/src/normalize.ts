import * as tf from '@tensorflow/tfjs-core';

import { assertImageBatch } from './image-batch';

/** One value per colour channel, in R, G, B order. */
export type ChannelValues = readonly [number, number, number];

/** Per-channel mean of the CIFAR-10 training images, in [0, 1] units. */
export const CIFAR10_MEAN: ChannelValues = Object.freeze([0.4914, 0.4822, 0.4465] as const);

/**
 * Per-channel standard deviation over all pixels of the CIFAR-10 training images, in [0, 1]
 * units. It differs from the (0.2023, 0.1994, 0.2010) found in many CIFAR-10 scripts.
 */
export const CIFAR10_STD: ChannelValues = Object.freeze([0.247, 0.2435, 0.2616] as const);

/** Checks that `mean` has 3 finite values and `std` has 3 finite values > 0. */
export function assertChannelStats(
  mean: readonly number[],
  std: readonly number[],
  caller: string,
): void {
  if (mean.length !== 3 || !mean.every(Number.isFinite)) {
    throw new RangeError(`${caller}: mean must be 3 finite numbers (R, G, B), but got [${mean}].`);
  }
  if (std.length !== 3 || !std.every((value) => Number.isFinite(value) && value > 0)) {
    throw new RangeError(
      `${caller}: std must be 3 finite numbers > 0 (R, G, B), but got [${std}].`,
    );
  }
}

/**
 * Normalises inputs that are already checked, as {@link normalizeImages} does. It computes
 * `x · (1 / std) - mean / std` as one `[P, 3] x [3, 3]` matMul with a bias, because on the
 * wasm backend (tfjs 4.22) a subtraction and a division broadcast over the channel axis take
 * several times as long. The result equals `(x - mean) / std` up to float32 rounding.
 */
export function applyNormalization(
  images: tf.Tensor4D,
  mean: ChannelValues,
  std: ChannelValues,
): tf.Tensor4D {
  return tf.tidy(() => {
    const inverseStd = tf.tensor2d([
      [1 / std[0], 0, 0],
      [0, 1 / std[1], 0],
      [0, 0, 1 / std[2]],
    ]);
    const bias = tf.tensor1d(mean.map((value, channel) => -value / std[channel]!));
    const pixels = tf.reshape<tf.Rank.R2>(images, [-1, 3]);
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
