import * as tf from '@tensorflow/tfjs-core';

import { selectPerImage } from '../image-groups';
import type { Rng } from '../rng';
import { assertBoolean, assertProbability } from '../validate';
import {
  Augmentation,
  assertRecord,
  type AugmentationOptions,
  type ImageSize,
  type SharedDraws,
} from './augmentation';

/** Whether one image got the wrapped op, and the op's parameters if it did. */
export interface RandomApplyParams<Q> {
  /** Whether the wrapped op runs on this image. */
  readonly applied: boolean;
  /** The wrapped op's parameters when `applied`, otherwise null. */
  readonly params: Q | null;
}

/** Options of {@link RandomApply}. */
export interface RandomApplyOptions<Q> extends AugmentationOptions {
  /** The op to apply. It must keep the image size. */
  transform: Augmentation<Q>;
  /** Probability of applying it to an image, in [0, 1]. Default 0.5, torchvision's. */
  p?: number;
}

/**
 * Applies an op to each image with probability `p`, as torchvision's `RandomApply`. Per
 * image it draws one uniform and, only when the op applies, the op's own parameters, so an
 * image that skips the op consumes one draw. Images that skip the op come out unchanged, bit
 * for bit.
 *
 * Parameters: one {@link RandomApplyParams} per image.
 *
 * @example
 * // SimCLR's colour distortion: jitter with probability 0.8.
 * const jitter = new RandomApply({ transform: new ColorJitter({ brightness: 0.4 }), p: 0.8 });
 */
export class RandomApply<Q> extends Augmentation<RandomApplyParams<Q>> {
  readonly name = 'random-apply';
  readonly transform: Augmentation<Q>;
  readonly p: number;

  constructor(options: RandomApplyOptions<Q>) {
    super(options);
    const { transform, p = 0.5 } = options;
    if (!(transform instanceof Augmentation)) {
      throw new TypeError(
        `RandomApply transform must be an Augmentation, but got ${String(transform)}.`,
      );
    }
    assertProbability('RandomApply p', p);
    this.transform = transform;
    this.p = p;
  }

  override outputSize(input: ImageSize): ImageSize {
    const output = this.transform.outputSize(input);
    if (output.height !== input.height || output.width !== input.width) {
      throw new RangeError(
        `RandomApply needs an op that keeps the image size, but ${this.transform.name} turns ` +
          `${input.height}×${input.width} into ${output.height}×${output.width}.`,
      );
    }
    return input;
  }

  protected drawOne(size: ImageSize, rng: Rng, shared: SharedDraws): RandomApplyParams<Q> {
    const applied = rng.bernoulli(this.p);
    return { applied, params: applied ? this.transform.drawImageParams(size, rng, shared) : null };
  }

  protected assertParam(param: RandomApplyParams<Q>, size: ImageSize, name: string): void {
    const record = assertRecord(param, name);
    assertBoolean(`${name}.applied`, record.applied);
    if (!record.applied && record.params !== null) {
      throw new RangeError(
        `${name}.params must be null when applied is false, but got ${JSON.stringify(record.params)}.`,
      );
    }
    if (record.applied) {
      this.transform.checkParam(record.params as Q, size, `${name}.params`);
    }
  }

  override identityParams(): RandomApplyParams<Q> {
    return { applied: false, params: null };
  }

  /**
   * Runs the op on the whole batch and keeps its output only for the selected images, since
   * gathering the selected images is slower on the wasm backend (see {@link selectPerImage}).
   * The others get the op's identity record, or else a copy of a selected image's record.
   */
  protected applyBatch(images: tf.Tensor4D, params: readonly RandomApplyParams<Q>[]): tf.Tensor4D {
    const applied = params.map((param) => param.applied);
    const first = params.find((param) => param.applied);
    if (first === undefined) {
      return tf.clone(images);
    }

    const [, height, width] = images.shape;
    const filler = this.transform.identityParams({ height, width }) ?? (first.params as Q);
    const inner = params.map((param) => (param.applied ? (param.params as Q) : filler));
    const output = this.transform.applyParams(images, inner);
    return selectPerImage(applied, output, images);
  }
}
