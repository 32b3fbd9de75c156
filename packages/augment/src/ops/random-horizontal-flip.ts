import type * as tf from '@tensorflow/tfjs-core';

import { applyFlip } from '../functional/flip';
import type { Rng } from '../rng';
import { assertProbability } from '../validate';
import {
  Augmentation,
  assertFlagParam,
  type AugmentationOptions,
  type FlagParams,
  type ImageSize,
} from './augmentation';

/** Options of {@link RandomHorizontalFlip}. */
export interface RandomHorizontalFlipOptions extends AugmentationOptions {
  /** Probability of mirroring an image, in [0, 1]. Default 0.5. */
  p?: number;
}

/**
 * Mirrors each image left to right with probability `p`, as torchvision's
 * `RandomHorizontalFlip`, through {@link flipLeftRight}. It draws one uniform per image.
 *
 * Parameters: `{ applied }` per image.
 */
export class RandomHorizontalFlip extends Augmentation<FlagParams> {
  readonly name = 'random-horizontal-flip';
  readonly p: number;

  constructor(options: RandomHorizontalFlipOptions = {}) {
    super(options);
    const { p = 0.5 } = options;
    assertProbability('RandomHorizontalFlip p', p);
    this.p = p;
  }

  override identityParams(): FlagParams {
    return { applied: false };
  }

  protected drawOne(_size: ImageSize, rng: Rng): FlagParams {
    return { applied: rng.bernoulli(this.p) };
  }

  protected assertParam(param: FlagParams, _size: ImageSize, name: string): void {
    assertFlagParam(param, name);
  }

  protected applyBatch(images: tf.Tensor4D, params: readonly FlagParams[]): tf.Tensor4D {
    return applyFlip(
      images,
      params.map((param) => param.applied),
      2,
    );
  }
}
