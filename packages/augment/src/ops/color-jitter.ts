import type * as tf from '@tensorflow/tfjs-core';

import { CONTRAST_MEANS, type ContrastMean } from '../functional/color';
import {
  applyColorJitter,
  JITTER_IDENTITY,
  JITTER_STEPS,
  type ColorJitterParams,
} from '../functional/color-jitter';
import type { Rng } from '../rng';
import { assertNumberIn, assertOneOf, assertRange, type NumberRange } from '../validate';
import {
  Augmentation,
  assertRecord,
  type AugmentationOptions,
  type ImageSize,
} from './augmentation';

/** Whether each image gets its own random order of jitter steps, or the fixed one. */
export type JitterOrder = 'random' | 'fixed';

/** The values of {@link JitterOrder}. */
export const JITTER_ORDERS: readonly JitterOrder[] = Object.freeze(['random', 'fixed']);

/** Options of {@link ColorJitter}. A strength of 0 (the default) turns a step off. */
export interface ColorJitterOptions extends AugmentationOptions {
  /**
   * Brightness: a strength x >= 0 draws a factor uniform in [max(0, 1 - x), 1 + x], and a
   * range `[lo, hi]` with 0 <= lo <= hi is used as given. Default 0.
   */
  brightness?: number | NumberRange;
  /** Contrast, drawn like `brightness`. Default 0. */
  contrast?: number | NumberRange;
  /** Saturation, drawn like `brightness`. Default 0. */
  saturation?: number | NumberRange;
  /**
   * Hue: a strength h in [0, 0.5] draws a shift uniform in [-h, h] turns, and a range
   * `[lo, hi]` within [-0.5, 0.5] is used as given. Default 0.
   */
  hue?: number | NumberRange;
  /**
   * 'random' (default) draws a permutation of the four steps per image, as torchvision does.
   * 'fixed' runs brightness, contrast, saturation, hue.
   */
  order?: JitterOrder;
  /**
   * Target of the contrast blend: 'grayscale' (default, torchvision) or 'channel' (official
   * SimCLR code). See {@link ContrastMean}.
   */
  contrastMean?: ContrastMean;
}

function factorRange(name: string, value: number | NumberRange): NumberRange {
  if (typeof value === 'number') {
    assertNumberIn(`ColorJitter ${name}`, value, 0, Infinity);
    return Object.freeze([Math.max(0, 1 - value), 1 + value] as const);
  }
  assertRange(`ColorJitter ${name}`, value, 0, Infinity);
  return Object.freeze([value[0], value[1]] as const);
}

function hueRange(value: number | NumberRange): NumberRange {
  if (typeof value === 'number') {
    assertNumberIn('ColorJitter hue', value, 0, 0.5);
    return Object.freeze([-value, value] as const);
  }
  assertRange('ColorJitter hue', value, -0.5, 0.5);
  return Object.freeze([value[0], value[1]] as const);
}

/**
 * Colour jitter, as torchvision's `ColorJitter`: per image, a brightness, contrast and
 * saturation factor and a hue shift are drawn uniformly from their ranges, and the four steps
 * run in a random order drawn per image, each clipping to [0, 1]. The steps are
 * {@link adjustBrightness}, {@link adjustContrast}, {@link adjustSaturation} and
 * {@link adjustHue} (rotation in HSV space).
 *
 * Draws per image: with order 'random', three integers for a Fisher–Yates shuffle of the
 * steps, then the four values in the order brightness, contrast, saturation, hue. A step
 * whose range is the identity (strength 0) still draws its value, so the stream does not
 * depend on the strengths.
 *
 * Differences from the official SimCLR code (google-research/simclr `data_util.py`,
 * `color_jitter_rand`): it blends contrast with each channel's mean (`contrastMean:
 * 'channel'` reproduces that), and it scales saturation in HSV space with
 * `tf.image.adjust_saturation`, whereas this op blends with the grayscale image as
 * torchvision does.
 *
 * Parameters: one {@link ColorJitterParams} per image.
 *
 * @example
 * // SimCLR's colour distortion at strength s = 0.5.
 * const jitter = new ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 });
 */
export class ColorJitter extends Augmentation<ColorJitterParams> {
  readonly name = 'color-jitter';
  protected override readonly channels = 3;
  readonly brightness: NumberRange;
  readonly contrast: NumberRange;
  readonly saturation: NumberRange;
  readonly hue: NumberRange;
  readonly order: JitterOrder;
  readonly contrastMean: ContrastMean;

  constructor(options: ColorJitterOptions = {}) {
    super(options);
    this.brightness = factorRange('brightness', options.brightness ?? 0);
    this.contrast = factorRange('contrast', options.contrast ?? 0);
    this.saturation = factorRange('saturation', options.saturation ?? 0);
    this.hue = hueRange(options.hue ?? 0);
    const { order = 'random', contrastMean = 'grayscale' } = options;
    assertOneOf('ColorJitter order', order, JITTER_ORDERS);
    assertOneOf('ColorJitter contrastMean', contrastMean, CONTRAST_MEANS);
    this.order = order;
    this.contrastMean = contrastMean;
  }

  override identityParams(): ColorJitterParams {
    return { ...JITTER_IDENTITY, order: [...JITTER_STEPS] };
  }

  protected drawOne(_size: ImageSize, rng: Rng): ColorJitterParams {
    const order = [...JITTER_STEPS];
    if (this.order === 'random') {
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.integer(0, i);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
    }
    return {
      brightness: rng.uniform(this.brightness[0], this.brightness[1]),
      contrast: rng.uniform(this.contrast[0], this.contrast[1]),
      saturation: rng.uniform(this.saturation[0], this.saturation[1]),
      hue: rng.uniform(this.hue[0], this.hue[1]),
      order,
    };
  }

  protected assertParam(param: ColorJitterParams, _size: ImageSize, name: string): void {
    assertColorJitterParam(param, name);
  }

  protected applyBatch(images: tf.Tensor4D, params: readonly ColorJitterParams[]): tf.Tensor4D {
    return applyColorJitter(images, params, this.contrastMean);
  }
}

/** Checks one {@link ColorJitterParams} record. */
export function assertColorJitterParam(param: ColorJitterParams, name: string): void {
  const record = assertRecord(param, name);
  for (const step of ['brightness', 'contrast', 'saturation'] as const) {
    assertNumberIn(`${name}.${step}`, record[step], 0, Infinity);
  }
  assertNumberIn(`${name}.hue`, record.hue, -0.5, 0.5);
  assertJitterOrder(record.order, `${name}.order`);
}

/** Checks that `order` is a permutation of {@link JITTER_STEPS}. */
export function assertJitterOrder(order: unknown, name: string): void {
  const valid =
    Array.isArray(order) &&
    order.length === JITTER_STEPS.length &&
    JITTER_STEPS.every((step) => (order as unknown[]).includes(step));
  if (!valid) {
    throw new RangeError(
      `${name} must be a permutation of ${JSON.stringify(JITTER_STEPS)}, ` +
        `but got ${JSON.stringify(order)}.`,
    );
  }
}
