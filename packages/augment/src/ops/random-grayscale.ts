import * as tf from '@tensorflow/tfjs-core';

import { applyGrayscale } from '../functional/color';
import { toPerImageTensor } from '../image-batch';
import type { AugmentationOptions, FlagParams } from './augmentation';
import { RandomFlagAugmentation } from './random-flag';

/** Options of {@link RandomGrayscale}. */
export interface RandomGrayscaleOptions extends AugmentationOptions {
  /** Probability of converting an image, in [0, 1]. Default 0.1, torchvision's; SimCLR uses 0.2. */
  p?: number;
}

/**
 * Converts each image to grayscale with probability `p`, as torchvision's `RandomGrayscale`:
 * the ITU-R BT.601 luma `0.299 R + 0.587 G + 0.114 B` (see {@link LUMA_WEIGHTS}) repeated in
 * all three channels, through {@link grayscale}. It draws one uniform per image.
 *
 * Parameters: `{ applied }` per image.
 */
export class RandomGrayscale extends RandomFlagAugmentation {
  readonly name = 'random-grayscale';
  protected override readonly channels = 3;

  constructor(options: RandomGrayscaleOptions = {}) {
    super(options, 'RandomGrayscale', 0.1);
  }

  protected applyBatch(images: tf.Tensor4D, params: readonly FlagParams[]): tf.Tensor4D {
    if (!params.some((param) => param.applied)) {
      return tf.clone(images);
    }
    // A blend with a 0/1 mask returns the luma or the input exactly, in one pass for the batch.
    const mask = toPerImageTensor(params.map((param) => (param.applied ? 1 : 0)));
    return applyGrayscale(images, mask);
  }
}
