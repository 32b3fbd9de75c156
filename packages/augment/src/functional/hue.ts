import * as tf from '@tensorflow/tfjs-core';

import { assertImageBatch, perImageFactors } from '../image-batch';

// Keeps the hue division finite on gray pixels, where max - min = 0 and the numerator is 0 too.
const MIN_CHROMA = 1e-20;

// Column j is the hue numerator for a pixel whose largest channel is j: g - b, b - r, r - g.
const HUE_NUMERATORS = [
  [0, -1, 1],
  [1, 0, -1],
  [-1, 1, 0],
];
// Start of the hue sextant, in sixths of a turn, for a largest channel of r, g or b.
const SEXTANT_STARTS = [[0], [2], [4]];
// Hue of pure red, green and blue in sixths of a turn, negated to serve as a matMul bias.
const NEGATED_PRIMARY_HUES = [0, -2, -4];

/**
 * Rotates the hue of images by `shift` `[N, 1, 1, 1]` in turns. Inputs are not checked.
 *
 * RGB to HSV takes the hue sextant from the largest channel. On ties the candidate formulas
 * give the same hue, so the choice among equal channels does not matter. HSV to RGB sets each
 * channel to `max - (max - min) · clip(d - 1, 0, 1)`, where d is the circular distance in
 * sixths of a turn from the new hue to the hue of that channel's primary (0, 2, 4). This is
 * the closed form `V - V·S·clip(min(k, 4 - k), 0, 1)`, `k = (n + 6H) mod 6`, of Wikipedia's
 * "HSL and HSV" (section "HSV to RGB alternative") written with d, and it keeps S and V.
 *
 * Channel mixing runs as `[P, 3] x [3, k]` matMuls over the P = N·H·W pixels, because on the
 * wasm backend (tfjs 4.22) slicing, concatenating and broadcasting along the channel axis are
 * each several times slower than such a matMul.
 */
export function applyHue(images: tf.Tensor4D, shift: tf.Tensor4D): tf.Tensor4D {
  const batchSize = images.shape[0];
  return tf.tidy(() => {
    const pixels = tf.reshape<tf.Rank.R2>(images, [-1, 3]);
    // oneHot with dtype float32 returns integer bit patterns on wasm (tfjs 4.22), hence the cast.
    const largest = tf.cast(tf.oneHot(tf.argMax(pixels, -1), 3), 'float32');
    const maxChannel = tf.sum<tf.Tensor2D>(tf.mul(largest, pixels), -1, true);
    const chroma = tf.sub<tf.Tensor2D>(maxChannel, tf.min(pixels, -1, true));

    // Hue in sixths of a turn, in [-1, 5).
    const numerators = tf.matMul(pixels, tf.tensor2d(HUE_NUMERATORS));
    const numerator = tf.sum(tf.mul(largest, numerators), -1, true);
    const sextantStart = tf.matMul(largest, tf.tensor2d(SEXTANT_STARTS));
    const hueSixths = tf.add(tf.div(numerator, tf.maximum(chroma, MIN_CHROMA)), sextantStart);

    // Add each image's shift and wrap into [0, 6).
    const shiftSixths = tf.reshape(tf.mul(shift, 6), [batchSize, 1]);
    const shifted = tf.add(tf.reshape(hueSixths, [batchSize, -1]), shiftSixths);
    const newHue = tf.reshape<tf.Rank.R2>(tf.mod(shifted, 6), [-1, 1]);

    // Offsets in (-4, 6), so the circular distance is 3 - ||offset| - 3|.
    const onesRow = tf.ones([1, 3]) as tf.Tensor2D;
    const offsets = tf.fused.matMul({
      a: newHue,
      b: onesRow,
      bias: tf.tensor1d(NEGATED_PRIMARY_HUES),
    });
    const distanceBeyondOne = tf.sub(2, tf.abs(tf.sub(tf.abs(offsets), 3)));
    const weight = tf.clipByValue(distanceBeyondOne, 0, 1);

    const maxInAllChannels = tf.matMul(maxChannel, onesRow);
    const chromaInAllChannels = tf.matMul(chroma, onesRow);
    const rgb = tf.sub(maxInAllChannels, tf.mul(chromaInAllChannels, weight));
    return tf.reshape<tf.Rank.R4>(tf.clipByValue(rgb, 0, 1), images.shape);
  });
}

/**
 * Rotates the hue of each image in HSV space by `shift` turns, as torchvision's
 * `adjust_hue`: `H' = (H + shift) mod 1` with saturation and value unchanged.
 *
 * @param images float32 `[N, H, W, 3]` in [0, 1].
 * @param shifts one shift in [-0.5, 0.5] turns per image, or one for all. 1/3 maps pure red
 *   to pure green.
 * @returns float32 `[N, H, W, 3]` in [0, 1]. A shift of 0 returns the input up to float32
 *   rounding (about 1e-7), not bit for bit.
 */
export function adjustHue(images: tf.Tensor4D, shifts: number | readonly number[]): tf.Tensor4D {
  assertImageBatch(images, 'adjustHue');
  return tf.tidy(() => {
    const shift = perImageFactors(shifts, images.shape[0], 'hue shift', -0.5, 0.5);
    return applyHue(images, shift);
  });
}
