import {
  JITTER_IDENTITY,
  JITTER_STEPS,
  type ColorJitterParams,
  type JitterStep,
} from './functional/color-jitter';
import { assertChannelStats, type ChannelValues } from './functional/normalize';
import { assertCropBox, type CropBox } from './functional/resized-crop';
import { assertPerImageValues } from './image-batch';
import type { FlagParams } from './ops/augmentation';
import { assertJitterOrder } from './ops/color-jitter';
import { Compose } from './ops/compose';
import type { RandomApplyParams } from './ops/random-apply';
import type { Rng } from './rng';
import { resolveSimclrOptions, type SimclrAugmentOptions } from './simclr-options';
import { simclrTransforms } from './simclr-transforms';

/**
 * The random parameters of one SimCLR view of a batch, one entry per image. Applying them with
 * {@link applySimclrParams} is deterministic, so a view can be inspected and replayed.
 */
export interface SimclrParams {
  /** H of the images the crops were drawn for, in pixels. */
  readonly imageHeight: number;
  /** W of the images the crops were drawn for, in pixels. */
  readonly imageWidth: number;
  /** Crop box of each image, in whole pixels. */
  readonly crops: readonly CropBox[];
  /** Whether each image is mirrored left to right. */
  readonly flips: readonly boolean[];
  /** Whether colour jitter was drawn for each image. Where it was not, the factors below are identity. */
  readonly colorJitter: readonly boolean[];
  /** Brightness factor of each image, >= 0, where 1 is identity. */
  readonly brightness: readonly number[];
  /** Contrast factor of each image, >= 0, where 1 is identity. */
  readonly contrast: readonly number[];
  /** Saturation factor of each image, >= 0, where 1 is identity. */
  readonly saturation: readonly number[];
  /** Hue shift of each image in turns, in [-0.5, 0.5], where 0 is identity. */
  readonly hue: readonly number[];
  /**
   * Order of the jitter steps of each image, a permutation of {@link JITTER_STEPS}. Present
   * when drawn with `colorJitterOrder: 'random'`. When absent, every image runs brightness,
   * contrast, saturation, hue, so records built by hand without it keep their meaning.
   */
  readonly jitterOrder?: readonly (readonly JitterStep[])[];
  /** Whether each image is converted to grayscale after the jitter. */
  readonly grayscale: readonly boolean[];
  /** Channel statistics of the final normalisation, or null to skip it. */
  readonly normalization: { readonly mean: ChannelValues; readonly std: ChannelValues } | null;
}

/** Per-image records of the pipeline of {@link simclrTransforms} without blur. */
type SimclrRecord = readonly [
  CropBox,
  FlagParams,
  RandomApplyParams<ColorJitterParams>,
  FlagParams,
];

/**
 * Draws the parameters of one SimCLR view for a batch of `imageShape[0]` images, each
 * independently, in this order per image: crop box (see {@link drawCropBox}), flip, whether to
 * jitter, then only if jittering the jitter order (with `colorJitterOrder: 'random'`) and the
 * four jitter factors, and last grayscale. These are the draws of the ops of
 * {@link simclrTransforms} in a {@link Compose}.
 *
 * Jitter factors follow torchvision's `ColorJitter(0.8s, 0.8s, 0.8s, 0.2s)`: brightness,
 * contrast and saturation uniform in [max(0, 1 - 0.8s), 1 + 0.8s], hue uniform in
 * [-0.2s, 0.2s] turns, where s is `colorStrength`.
 *
 * @param imageShape the shape `[N, H, W, 3]` of the images, e.g. `images.shape`.
 * @param rng the generator to draw from. It advances by a varying number of draws per image.
 * @param options see {@link SimclrAugmentOptions} for ranges and defaults.
 */
export function drawSimclrParams(
  imageShape: readonly number[],
  rng: Rng,
  options?: SimclrAugmentOptions,
): SimclrParams {
  const [batchSize, imageHeight, imageWidth, channels] = imageShape;
  const validShape =
    imageShape.length === 4 &&
    channels === 3 &&
    [batchSize, imageHeight, imageWidth].every((size) => Number.isInteger(size) && size! >= 1);
  if (!validShape) {
    throw new RangeError(
      `drawSimclrParams: imageShape must be [N, H, W, 3] with N, H, W >= 1, ` +
        `but got [${imageShape.join(', ')}].`,
    );
  }
  const settings = resolveSimclrOptions(options);
  const pipeline = new Compose({
    transforms: simclrTransforms({ ...settings, size: undefined, blurProbability: 0 }),
  });
  const records = pipeline.drawParams(imageShape, rng) as unknown as SimclrRecord[];

  const jitter = records.map((record) => record[2]);
  const factor = (step: JitterStep) =>
    jitter.map((draw) => (draw.params === null ? JITTER_IDENTITY[step] : draw.params[step]));
  const params: SimclrParams = {
    imageHeight: imageHeight!,
    imageWidth: imageWidth!,
    crops: records.map((record) => record[0]),
    flips: records.map((record) => record[1].applied),
    colorJitter: jitter.map((draw) => draw.applied),
    brightness: factor('brightness'),
    contrast: factor('contrast'),
    saturation: factor('saturation'),
    hue: factor('hue'),
    grayscale: records.map((record) => record[3].applied),
    normalization: settings.normalize ? { mean: settings.mean, std: settings.std } : null,
  };
  if (settings.colorJitterOrder === 'fixed') {
    return params;
  }
  const jitterOrder = jitter.map((draw) => draw.params?.order ?? [...JITTER_STEPS]);
  return { ...params, jitterOrder };
}

/**
 * Checks that `params` fits images of shape `imageShape` `[N, H, W, 3]` and that every value
 * is in range, throwing a `RangeError` that names the bad field.
 */
export function assertSimclrParams(params: SimclrParams, imageShape: readonly number[]): void {
  const [batchSize = 0, imageHeight, imageWidth] = imageShape;
  if (params.imageHeight !== imageHeight || params.imageWidth !== imageWidth) {
    throw new RangeError(
      `SimclrParams were drawn for ${params.imageHeight}×${params.imageWidth} images, ` +
        `but the images are ${imageHeight}×${imageWidth}; draw them from images.shape.`,
    );
  }

  const flagFields = ['flips', 'colorJitter', 'grayscale'] as const;
  for (const field of flagFields) {
    const flags = params[field];
    if (flags.length !== batchSize || !flags.every((flag) => typeof flag === 'boolean')) {
      throw new RangeError(
        `SimclrParams.${field} must have one boolean per image (${batchSize}), ` +
          `but got [${flags.join(', ')}].`,
      );
    }
  }
  if (params.crops.length !== batchSize) {
    throw new RangeError(
      `SimclrParams.crops must have one box per image (${batchSize}), ` +
        `but got ${params.crops.length}.`,
    );
  }
  params.crops.forEach((crop, i) =>
    assertCropBox(crop, params.imageHeight, params.imageWidth, `SimclrParams.crops[${i}]`),
  );

  assertPerImageValues(params.brightness, batchSize, 'SimclrParams.brightness', 0, Infinity);
  assertPerImageValues(params.contrast, batchSize, 'SimclrParams.contrast', 0, Infinity);
  assertPerImageValues(params.saturation, batchSize, 'SimclrParams.saturation', 0, Infinity);
  assertPerImageValues(params.hue, batchSize, 'SimclrParams.hue', -0.5, 0.5);
  if (params.jitterOrder !== undefined) {
    if (!Array.isArray(params.jitterOrder) || params.jitterOrder.length !== batchSize) {
      throw new RangeError(
        `SimclrParams.jitterOrder must have one order per image (${batchSize}), ` +
          `but got ${Array.isArray(params.jitterOrder) ? params.jitterOrder.length : String(params.jitterOrder)}.`,
      );
    }
    params.jitterOrder.forEach((order, i) =>
      assertJitterOrder(order, `SimclrParams.jitterOrder[${i}]`),
    );
  }
  if (params.normalization !== null) {
    const { mean, std } = params.normalization;
    assertChannelStats(mean, std, 'SimclrParams.normalization');
  }
}

/**
 * Returns the parameters of images `start` (inclusive) to `end` (exclusive) of a batch,
 * e.g. to hand each worker of a data-parallel step the share of its images.
 */
export function sliceSimclrParams(params: SimclrParams, start: number, end: number): SimclrParams {
  const count = params.flips.length;
  if (
    !Number.isInteger(start) ||
    !Number.isInteger(end) ||
    start < 0 ||
    end > count ||
    start >= end
  ) {
    throw new RangeError(
      `sliceSimclrParams: invalid range [${start}, ${end}) of a batch of ${count}; expected integers with 0 <= start < end <= ${count}.`,
    );
  }
  return {
    imageHeight: params.imageHeight,
    imageWidth: params.imageWidth,
    crops: params.crops.slice(start, end),
    flips: params.flips.slice(start, end),
    colorJitter: params.colorJitter.slice(start, end),
    brightness: params.brightness.slice(start, end),
    contrast: params.contrast.slice(start, end),
    saturation: params.saturation.slice(start, end),
    hue: params.hue.slice(start, end),
    grayscale: params.grayscale.slice(start, end),
    normalization: params.normalization,
    ...(params.jitterOrder === undefined
      ? {}
      : { jitterOrder: params.jitterOrder.slice(start, end) }),
  };
}
