import * as tf from '@tensorflow/tfjs-core';

import type { Rng } from '../rng';
import {
  Augmentation,
  type AugmentationOptions,
  type ImageSize,
  type SharedDraws,
} from './augmentation';

/** Parameters of one image in a {@link Compose}: one record per op, in pipeline order. */
export type ComposeParams = readonly unknown[];

/** Options of {@link Compose}. */
export interface ComposeOptions extends AugmentationOptions {
  /** The ops, applied first to last. Each one's output size is the next one's input size. */
  transforms: readonly Augmentation<unknown>[];
}

/**
 * Runs ops one after another, as torchvision's `Compose`. For each image it draws the
 * parameters of every op in order before moving to the next image, so the stream of a
 * pipeline does not change when the batch grows: image i of a batch of 8 gets the same
 * parameters as image i of a batch of 4 drawn from the same state, for i < 4.
 *
 * Parameters: per image, an array with one record per op (see {@link ComposeParams}).
 *
 * @example
 * const pipeline = new Compose({
 *   transforms: [new RandomResizedCrop(), new RandomHorizontalFlip(), new RandomGrayscale({ p: 0.2 })],
 * });
 * const params = pipeline.drawParams(images.shape, createRng(1));
 * const view = pipeline.applyParams(images, params); // equals pipeline.apply(images, createRng(1))
 */
export class Compose extends Augmentation<ComposeParams> {
  readonly name = 'compose';
  readonly transforms: readonly Augmentation<unknown>[];

  constructor(options: ComposeOptions) {
    super(options);
    const { transforms } = options;
    if (!Array.isArray(transforms)) {
      throw new TypeError(
        `Compose transforms must be an array of ops, but got ${String(transforms)}.`,
      );
    }
    transforms.forEach((transform, i) => {
      if (!(transform instanceof Augmentation)) {
        throw new TypeError(
          `Compose transforms[${i}] must be an Augmentation, but got ${String(transform)}.`,
        );
      }
    });
    this.transforms = Object.freeze([...transforms]);
  }

  /** Returns the input size of each op and, last, the output size of the pipeline. */
  private sizes(input: ImageSize): ImageSize[] {
    const sizes = [input];
    for (const transform of this.transforms) {
      sizes.push(transform.outputSize(sizes[sizes.length - 1]!));
    }
    return sizes;
  }

  override outputSize(input: ImageSize): ImageSize {
    return this.sizes(input)[this.transforms.length]!;
  }

  /** Returns the identity records of all ops, or undefined if one op has none. */
  override identityParams(size: ImageSize): ComposeParams | undefined {
    const sizes = this.sizes(size);
    const records = this.transforms.map((transform, k) => transform.identityParams(sizes[k]!));
    return records.some((record) => record === undefined) ? undefined : records;
  }

  protected drawOne(size: ImageSize, rng: Rng, shared: SharedDraws): ComposeParams {
    const sizes = this.sizes(size);
    return this.transforms.map((transform, k) => transform.drawImageParams(sizes[k]!, rng, shared));
  }

  protected assertParam(param: ComposeParams, size: ImageSize, name: string): void {
    if (!Array.isArray(param) || param.length !== this.transforms.length) {
      throw new RangeError(
        `${name} must be an array of ${this.transforms.length} records, one per op, ` +
          `but got ${JSON.stringify(param)}.`,
      );
    }
    const sizes = this.sizes(size);
    this.transforms.forEach((transform, k) =>
      transform.checkParam(param[k], sizes[k]!, `${name}[${k}] (${transform.name})`),
    );
  }

  protected applyBatch(images: tf.Tensor4D, params: readonly ComposeParams[]): tf.Tensor4D {
    let view = images;
    this.transforms.forEach((transform, k) => {
      const previous = view;
      view = transform.applyParams(
        view,
        params.map((param) => param[k]),
      );
      // Free each intermediate view now rather than at the end of the enclosing tidy.
      if (previous !== images) {
        previous.dispose();
      }
    });
    return view === images ? tf.clone(images) : view;
  }
}
