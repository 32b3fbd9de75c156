import * as tf from '@tensorflow/tfjs-core';

import { applySolarize } from '../functional/solarize';
import { toPerImageTensor } from '../image-batch';
import type { Rng } from '../rng';
import { assertBoolean, assertNumberIn, assertProbability } from '../validate';
import {
  Augmentation,
  assertRecord,
  type AugmentationOptions,
  type ImageSize,
} from './augmentation';

/** The solarization of one image. */
export interface RandomSolarizeParams {
  /** Whether the image is solarized. */
  readonly applied: boolean;
  /** Values at or above it are inverted, in [0, 1]. */
  readonly threshold: number;
}

/** Options of {@link RandomSolarize}. */
export interface RandomSolarizeOptions extends AugmentationOptions {
  /** Threshold in [0, 1]: values at or above it become `1 - x`. Default 0.5. */
  threshold?: number;
  /** Probability of solarizing an image, in [0, 1]. Default 0.5, torchvision's. */
  p?: number;
}

/**
 * Solarizes each image with probability `p`, as torchvision's `RandomSolarize`: values at or
 * above `threshold` become `1 - x` (see {@link solarize}). It draws one uniform per image.
 *
 * Parameters: one {@link RandomSolarizeParams} per image. The record carries the threshold,
 * so a stored record replays without the op's options.
 *
 * @example
 * const solarize = new RandomSolarize({ threshold: 0.5, p: 0.2 });
 * const params = solarize.drawParams(images.shape, createRng(0));
 * const view = solarize.applyParams(images, params);
 */
export class RandomSolarize extends Augmentation<RandomSolarizeParams> {
  readonly name = 'random-solarize';
  readonly threshold: number;
  readonly p: number;

  constructor(options: RandomSolarizeOptions = {}) {
    super(options);
    const { threshold = 0.5, p = 0.5 } = options;
    assertNumberIn('RandomSolarize threshold', threshold, 0, 1);
    assertProbability('RandomSolarize p', p);
    this.threshold = threshold;
    this.p = p;
  }

  override identityParams(): RandomSolarizeParams {
    return { applied: false, threshold: this.threshold };
  }

  protected drawOne(_size: ImageSize, rng: Rng): RandomSolarizeParams {
    return { applied: rng.bernoulli(this.p), threshold: this.threshold };
  }

  protected assertParam(param: RandomSolarizeParams, _size: ImageSize, name: string): void {
    const record = assertRecord(param, name);
    assertBoolean(`${name}.applied`, record.applied);
    assertNumberIn(`${name}.threshold`, record.threshold, 0, 1);
  }

  protected applyBatch(images: tf.Tensor4D, params: readonly RandomSolarizeParams[]): tf.Tensor4D {
    if (!params.some((param) => param.applied)) {
      return tf.clone(images);
    }
    // No value reaches an infinite threshold, so the images not drawn come through unchanged.
    const thresholds = params.map((param) => (param.applied ? param.threshold : Infinity));
    return applySolarize(images, toPerImageTensor(thresholds));
  }
}
