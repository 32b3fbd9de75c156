import type * as tf from '@tensorflow/tfjs-core';

import { applyFlip } from '../functional/flip';
import type { AugmentationOptions, FlagParams } from './augmentation';
import { RandomFlagAugmentation } from './random-flag';

/** Options of {@link RandomVerticalFlip}. */
export interface RandomVerticalFlipOptions extends AugmentationOptions {
  /** Probability of mirroring an image, in [0, 1]. Default 0.5. */
  p?: number;
}

/**
 * Mirrors each image top to bottom with probability `p`, as torchvision's
 * `RandomVerticalFlip`, through {@link flipUpDown}. It draws one uniform per image.
 *
 * Parameters: `{ applied }` per image.
 */
export class RandomVerticalFlip extends RandomFlagAugmentation {
  readonly name = 'random-vertical-flip';

  constructor(options: RandomVerticalFlipOptions = {}) {
    super(options, 'RandomVerticalFlip', 0.5);
  }

  protected applyBatch(images: tf.Tensor4D, params: readonly FlagParams[]): tf.Tensor4D {
    return applyFlip(
      images,
      params.map((param) => param.applied),
      1,
    );
  }
}
