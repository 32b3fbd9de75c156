import type * as tf from '@tensorflow/tfjs-core';

import {
  applyGaussianBlur,
  assertKernelSize,
  BLUR_PADDINGS,
  type BlurPadding,
} from '../functional/gaussian-blur';
import { applyToGroups } from '../image-groups';
import type { Rng } from '../rng';
import { assertNumberIn, assertOneOf, assertPositiveRange, type NumberRange } from '../validate';
import {
  Augmentation,
  assertRecord,
  type AugmentationOptions,
  type ImageSize,
} from './augmentation';

/** The blur of one image. */
export interface GaussianBlurParams {
  /** Standard deviation of the kernel in pixels, > 0. */
  readonly sigma: number;
  /** Taps of the 1-D kernel, odd. */
  readonly kernelSize: number;
}

/** Options of {@link GaussianBlur}. */
export interface GaussianBlurOptions extends AugmentationOptions {
  /**
   * Sigma in pixels: a range `[lo, hi]` with 0 < lo <= hi to draw uniformly from, or one
   * value. Default [0.1, 2.0].
   */
  sigma?: number | NumberRange;
  /** Odd kernel size in pixels. Default: from `kernelSizeFraction`. */
  kernelSize?: number;
  /** Kernel size as a fraction of the image height, used without `kernelSize`. Default 0.1. */
  kernelSizeFraction?: number;
  /** 'reflect' (default, torchvision) or 'zeros' (official SimCLR code), see {@link BlurPadding}. */
  padding?: BlurPadding;
}

/**
 * Gaussian blur with a sigma drawn uniformly per image, as torchvision's `GaussianBlur`,
 * through {@link gaussianBlur}. The defaults are SimCLR's (Chen et al., 2020, Appendix A):
 * sigma in [0.1, 2.0] and a kernel 10% of the image size. The kernel size follows the
 * official code (google-research/simclr `data_util.py`, `random_blur`): `k = H // 10` rounded
 * down to even, plus 1, i.e. 3 for 32-pixel and 23 for 224-pixel images.
 *
 * SimCLR blurs with probability 0.5: wrap this op in {@link RandomApply}. The official code
 * also draws one sigma per batch (`batch_random_blur`), whereas this op draws one per image
 * unless `sameOnBatch` is set.
 *
 * Parameters: one {@link GaussianBlurParams} per image.
 */
export class GaussianBlur extends Augmentation<GaussianBlurParams> {
  readonly name = 'gaussian-blur';
  readonly sigma: NumberRange;
  readonly kernelSize: number | undefined;
  readonly kernelSizeFraction: number;
  readonly padding: BlurPadding;

  constructor(options: GaussianBlurOptions = {}) {
    super(options);
    const { sigma = [0.1, 2.0], kernelSize, kernelSizeFraction, padding = 'reflect' } = options;
    const range = typeof sigma === 'number' ? [sigma, sigma] : sigma;
    assertPositiveRange('GaussianBlur sigma', range, Infinity);
    this.sigma = Object.freeze([range[0], range[1]] as const);

    if (kernelSize !== undefined && kernelSizeFraction !== undefined) {
      throw new RangeError(
        'GaussianBlur takes kernelSize or kernelSizeFraction, not both; ' +
          `got ${kernelSize} and ${kernelSizeFraction}.`,
      );
    }
    if (kernelSize !== undefined && !(Number.isInteger(kernelSize) && kernelSize % 2 === 1)) {
      throw new RangeError(
        `GaussianBlur kernelSize must be an odd integer >= 1, but got ${kernelSize}.`,
      );
    }
    assertNumberIn('GaussianBlur kernelSizeFraction', kernelSizeFraction ?? 0.1, 0, 1);
    assertOneOf('GaussianBlur padding', padding, BLUR_PADDINGS);
    this.kernelSize = kernelSize;
    this.kernelSizeFraction = kernelSizeFraction ?? 0.1;
    this.padding = padding;
  }

  /** Returns the kernel size for images of `size`. */
  kernelSizeFor(size: ImageSize): number {
    if (this.kernelSize !== undefined) {
      return this.kernelSize;
    }
    // The epsilon keeps 0.1 · 30 = 3.0000000000000004 and the like on the right integer.
    const taps = Math.floor(this.kernelSizeFraction * size.height + 1e-9);
    return 2 * Math.floor(taps / 2) + 1;
  }

  override outputSize(input: ImageSize): ImageSize {
    assertKernelSize(this.kernelSizeFor(input), input.height, input.width, this.padding, this.name);
    return input;
  }

  protected drawOne(size: ImageSize, rng: Rng): GaussianBlurParams {
    return {
      sigma: rng.uniform(this.sigma[0], this.sigma[1]),
      kernelSize: this.kernelSizeFor(size),
    };
  }

  protected assertParam(param: GaussianBlurParams, size: ImageSize, name: string): void {
    const record = assertRecord(param, name);
    if (!(typeof record.sigma === 'number' && Number.isFinite(record.sigma) && record.sigma > 0)) {
      throw new RangeError(`${name}.sigma must be a finite number > 0, but got ${record.sigma}.`);
    }
    assertKernelSize(
      record.kernelSize as number,
      size.height,
      size.width,
      this.padding,
      `${name}.kernelSize`,
    );
  }

  protected applyBatch(images: tf.Tensor4D, params: readonly GaussianBlurParams[]): tf.Tensor4D {
    // Hand-made records may mix kernel sizes; each size is one convolution over its images.
    const kernelSizes = [...new Set(params.map((param) => param.kernelSize))];
    const groups = kernelSizes.map((kernelSize) => {
      const indices = params.flatMap((param, i) => (param.kernelSize === kernelSize ? [i] : []));
      const sigmas = indices.map((i) => params[i]!.sigma);
      return {
        indices,
        transform: (subset: tf.Tensor4D) =>
          applyGaussianBlur(subset, kernelSize, sigmas, this.padding),
      };
    });
    return applyToGroups(images, groups);
  }
}
