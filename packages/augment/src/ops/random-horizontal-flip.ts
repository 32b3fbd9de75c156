import type * as tf from '@tensorflow/tfjs-core';

import { applyFlip } from '../functional/flip';
import type { AugmentationOptions, FlagParams } from './augmentation';
import { RandomFlagAugmentation } from './random-flag';

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
export class RandomHorizontalFlip extends RandomFlagAugmentation {
  readonly name = 'random-horizontal-flip';

  constructor(options: RandomHorizontalFlipOptions = {}) {
    super(options, 'RandomHorizontalFlip', 0.5);
  }

  protected applyBatch(images: tf.Tensor4D, params: readonly FlagParams[]): tf.Tensor4D {
    return applyFlip(
      images,
      params.map((param) => param.applied),
      2,
    );
  }
}
