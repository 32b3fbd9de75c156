import {
  assertChannelStats,
  CIFAR10_MEAN,
  CIFAR10_STD,
  type ChannelValues,
} from './functional/normalize';
import { JITTER_ORDERS, type JitterOrder } from './ops/color-jitter';
import { assertOneOf, assertPositiveRange, assertProbability } from './validate';

/**
 * Settings of the SimCLR view generator. The crop, flip, jitter and grayscale defaults follow
 * Chen et al. (2020), "A Simple Framework for Contrastive Learning of Visual Representations",
 * Appendix A. The colour strength 0.5 is the CIFAR-10 setting of the authors' repository
 * (google-research/simclr README: `--color_jitter_strength=0.5 --use_blur=False`).
 */
export interface SimclrAugmentOptions {
  /** Range of the crop area as a fraction of the image area, 0 < lo <= hi <= 1. Default [0.08, 1]. */
  cropScale?: readonly [number, number];
  /** Range of the crop aspect ratio width/height, drawn log-uniformly, 0 < lo <= hi. Default [3/4, 4/3]. */
  cropRatio?: readonly [number, number];
  /** Probability of a left-right flip, in [0, 1]. Default 0.5. */
  flipProbability?: number;
  /** Probability of applying colour jitter to an image, in [0, 1]. Default 0.8. */
  colorJitterProbability?: number;
  /**
   * Colour distortion strength s in [0, 2.5]: brightness, contrast and saturation jitter by
   * 0.8s and hue by 0.2s turns. Default 0.5. Above 2.5 the hue range would exceed half a turn.
   */
  colorStrength?: number;
  /**
   * Order of the four jitter steps. 'fixed' (default) runs brightness, contrast, saturation,
   * hue for every image and keeps the parameter stream of earlier versions. 'random' draws a
   * permutation per image as torchvision's `ColorJitter` and the official code do. It draws
   * three more numbers per jittered image, so the same seed then gives other parameters.
   */
  colorJitterOrder?: JitterOrder;
  /** Probability of converting an image to grayscale, in [0, 1]. Default 0.2. */
  grayscaleProbability?: number;
  /** Whether to normalise each channel with `mean` and `std` at the end. Default true. */
  normalize?: boolean;
  /** Per-channel mean for normalisation. Default {@link CIFAR10_MEAN}. */
  mean?: ChannelValues;
  /** Per-channel standard deviation for normalisation, each > 0. Default {@link CIFAR10_STD}. */
  std?: ChannelValues;
}

/** The defaults of {@link SimclrAugmentOptions}. */
export const SIMCLR_DEFAULTS: Readonly<Required<SimclrAugmentOptions>> = Object.freeze({
  cropScale: Object.freeze([0.08, 1] as const),
  cropRatio: Object.freeze([3 / 4, 4 / 3] as const),
  flipProbability: 0.5,
  colorJitterProbability: 0.8,
  colorStrength: 0.5,
  colorJitterOrder: 'fixed',
  grayscaleProbability: 0.2,
  normalize: true,
  mean: CIFAR10_MEAN,
  std: CIFAR10_STD,
});

/** Largest colour strength: 0.2s is the hue range, and a hue shift beyond 0.5 turn repeats. */
export const MAX_COLOR_STRENGTH = 2.5;

/** Fills in the defaults and checks every option, throwing a `RangeError` that names the bad one. */
export function resolveSimclrOptions(
  options: SimclrAugmentOptions = {},
): Readonly<Required<SimclrAugmentOptions>> {
  const resolved = { ...SIMCLR_DEFAULTS, ...definedEntries(options) };

  assertPositiveRange('cropScale', resolved.cropScale, 1);
  assertPositiveRange('cropRatio', resolved.cropRatio, Infinity);
  assertProbability('flipProbability', resolved.flipProbability);
  assertProbability('colorJitterProbability', resolved.colorJitterProbability);
  assertProbability('grayscaleProbability', resolved.grayscaleProbability);
  const strength = resolved.colorStrength;
  if (!(strength >= 0 && strength <= MAX_COLOR_STRENGTH)) {
    throw new RangeError(
      `colorStrength must be in [0, ${MAX_COLOR_STRENGTH}], but got ${strength}.`,
    );
  }
  assertOneOf('colorJitterOrder', resolved.colorJitterOrder, JITTER_ORDERS);
  if (typeof resolved.normalize !== 'boolean') {
    throw new TypeError(`normalize must be true or false, but got ${String(resolved.normalize)}.`);
  }
  assertChannelStats(resolved.mean, resolved.std, 'SimclrAugmentOptions');
  return resolved;
}

/** Drops keys whose value is `undefined`, so they fall back to the defaults. */
function definedEntries(options: SimclrAugmentOptions): SimclrAugmentOptions {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as SimclrAugmentOptions;
}
