import type * as tf from '@tensorflow/tfjs-core';

import {
  applyNormalization,
  assertChannelStats,
  CIFAR10_MEAN,
  CIFAR10_STD,
} from '../functional/normalize';
import {
  Augmentation,
  assertRecord,
  type AugmentationOptions,
  type ImageSize,
} from './augmentation';

/** Parameters of {@link Normalize}: an empty record, since it draws nothing. */
export type NormalizeParams = Readonly<Record<string, never>>;

/** Options of {@link Normalize}. */
export interface NormalizeOptions extends AugmentationOptions {
  /**
   * Mean of each channel. Its length C is the channel count the op accepts. Default
   * {@link CIFAR10_MEAN}.
   */
  mean?: readonly number[];
  /** Standard deviation of each channel, each > 0, C values. Default {@link CIFAR10_STD}. */
  std?: readonly number[];
}

/**
 * Normalises each channel, `(x - mean[c]) / std[c]`, as torchvision's `Normalize`, through
 * {@link normalizeImages}. It is deterministic and draws nothing. Its output is no longer in
 * [0, 1], so it belongs at the end of a pipeline.
 *
 * Parameters: `{}` per image.
 */
export class Normalize extends Augmentation<NormalizeParams> {
  readonly name = 'normalize';
  protected override readonly channels: number;
  readonly mean: readonly number[];
  readonly std: readonly number[];

  constructor(options: NormalizeOptions = {}) {
    super(options);
    const { mean = CIFAR10_MEAN, std = CIFAR10_STD } = options;
    if (mean.length < 1) {
      throw new RangeError('Normalize mean must have one value per channel, but got [].');
    }
    assertChannelStats(mean, std, 'Normalize', mean.length);
    this.mean = Object.freeze([...mean]);
    this.std = Object.freeze([...std]);
    this.channels = mean.length;
  }

  protected drawOne(): NormalizeParams {
    return {};
  }

  protected assertParam(param: NormalizeParams, _size: ImageSize, name: string): void {
    assertRecord(param, name);
  }

  protected applyBatch(images: tf.Tensor4D): tf.Tensor4D {
    return applyNormalization(images, this.mean, this.std);
  }
}
