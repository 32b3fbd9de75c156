import * as tf from '@tensorflow/tfjs-core';

import { assertImageBatch } from '../image-batch';
import type { Rng } from '../rng';
import { assertBoolean } from '../validate';

/** Height and width of an image in pixels. */
export interface ImageSize {
  readonly height: number;
  readonly width: number;
}

/** Options that every augmentation accepts. */
export interface AugmentationOptions {
  /**
   * Draw the parameters once per batch and apply them to every image, as kornia's
   * `same_on_batch`. Default false: every image gets its own draw.
   */
  sameOnBatch?: boolean;
}

/**
 * Draws already made for the current batch by ops with `sameOnBatch`, keyed by op. Composite
 * ops pass it on to their children, so such an op draws once per batch wherever it sits.
 */
export type SharedDraws = Map<object, unknown>;

/**
 * Base class of every augmentation: a random op on float32 image batches `[N, H, W, C]`,
 * split as in kornia into a parameter generator and a pure apply function.
 *
 * - {@link drawParams} draws one parameter record `P` per image from an {@link Rng}. The
 *   records are plain JSON values, so they can be logged, stored and replayed.
 * - {@link applyParams} is a deterministic function of the images and the records.
 * - {@link apply} does both: `apply(images, rng)` equals
 *   `applyParams(images, drawParams(images.shape, rng))`.
 *
 * A subclass implements `drawOne` (the draws of one image), `assertParam` (the check of one
 * record) and `applyBatch` (the tensor work for checked inputs). See CONTRIBUTING.md of this
 * package for a worked example.
 *
 * Draw order: `drawParams` draws image 0 completely, then image 1, and so on. With
 * `sameOnBatch` an op draws once, for the first image that needs it, and every later image
 * reuses that record.
 */
export abstract class Augmentation<P> {
  /** Name of the op in the registry, in kebab-case, e.g. 'random-solarize'. */
  abstract readonly name: string;

  /** Whether one draw serves the whole batch. */
  readonly sameOnBatch: boolean;

  /** Channels the op needs in the last axis: a count, or 'any'. */
  protected readonly channels: number | 'any' = 'any';

  constructor(options: AugmentationOptions = {}) {
    const sameOnBatch = options.sameOnBatch ?? false;
    assertBoolean('sameOnBatch', sameOnBatch);
    this.sameOnBatch = sameOnBatch;
  }

  /**
   * Returns the size of the output for an input of `input`. The default keeps the size. It
   * throws a `RangeError` when the op can't handle images of that size.
   */
  outputSize(input: ImageSize): ImageSize {
    return input;
  }

  /**
   * Returns a record that leaves an image of `size` unchanged, exactly or up to float32
   * rounding, or undefined when the op has none. {@link RandomApply} gives it to the images it
   * skips, so the op can run on the whole batch. The default is undefined.
   */
  identityParams(_size: ImageSize): P | undefined {
    return undefined;
  }

  /** Draws the parameters of one image of size `size`. */
  protected abstract drawOne(size: ImageSize, rng: Rng, shared: SharedDraws): P;

  /** Throws a `RangeError` or `TypeError` naming `name` if `param` is invalid for `size`. */
  protected abstract assertParam(param: P, size: ImageSize, name: string): void;

  /** Applies checked parameters to checked images. Runs inside `tf.tidy`. */
  protected abstract applyBatch(images: tf.Tensor4D, params: readonly P[]): tf.Tensor4D;

  /**
   * Draws the parameters of the next image of a batch, honouring `sameOnBatch` through
   * `shared`. Composite ops call it on their children.
   */
  drawImageParams(size: ImageSize, rng: Rng, shared: SharedDraws): P {
    if (!this.sameOnBatch) {
      return this.drawOne(size, rng, shared);
    }
    if (shared.has(this)) {
      return shared.get(this) as P;
    }
    const param = this.drawOne(size, rng, shared);
    shared.set(this, param);
    return param;
  }

  /**
   * Draws one parameter record per image, image after image.
   *
   * @param imageShape `[N, H, W, C]` with N, H, W, C >= 1, e.g. `images.shape`.
   * @param rng the generator to draw from. The same state gives the same records.
   * @returns N records, equal to each other when `sameOnBatch` is set.
   */
  drawParams(imageShape: readonly number[], rng: Rng): P[] {
    const [batchSize, height, width] = assertImageShape(imageShape, this.name);
    const size = { height, width };
    this.outputSize(size);

    const shared: SharedDraws = new Map();
    return Array.from({ length: batchSize }, () => this.drawImageParams(size, rng, shared));
  }

  /**
   * Checks the record of one image of `size` and throws a `RangeError` or `TypeError` that
   * names the bad field, prefixed by `name`. Composite ops call it on their children.
   */
  checkParam(param: P, size: ImageSize, name: string): void {
    if (param === undefined) {
      throw new TypeError(`${name} is missing.`);
    }
    this.assertParam(param, size, name);
  }

  /**
   * Applies parameter records, one per image, to a batch. Deterministic: the same images
   * and records give the same output on the same backend.
   *
   * @param images float32 `[N, H, W, C]`, usually in [0, 1].
   * @param params N records, e.g. from {@link drawParams} or parsed from JSON.
   * @returns a new float32 tensor `[N, H', W', C]` with `H' × W'` from {@link outputSize}.
   */
  applyParams(images: tf.Tensor4D, params: readonly P[]): tf.Tensor4D {
    assertImageBatch(images, this.name, this.channels);
    const [batchSize, height, width] = images.shape;
    if (!Array.isArray(params) || params.length !== batchSize) {
      const count = Array.isArray(params) ? `${params.length} records` : String(params);
      throw new RangeError(
        `${this.name}: params must have one record per image (${batchSize}), but got ${count}.`,
      );
    }
    const size = { height, width };
    this.outputSize(size);
    params.forEach((param, i) => this.checkParam(param, size, `${this.name} params[${i}]`));

    return tf.tidy(() => {
      const output = this.applyBatch(images, params);
      // tidy keeps a returned input alive, and a caller that disposes the output would free it.
      return output === images ? tf.clone(images) : output;
    });
  }

  /**
   * Draws parameters for every image of `images` and applies them.
   *
   * @param images float32 `[N, H, W, C]`, usually in [0, 1].
   * @param rng the generator to draw from.
   * @returns a new float32 tensor `[N, H', W', C]`.
   */
  apply(images: tf.Tensor4D, rng: Rng): tf.Tensor4D {
    assertImageBatch(images, this.name, this.channels);
    return this.applyParams(images, this.drawParams(images.shape, rng));
  }
}

/** Checks an image shape `[N, H, W, C]` of integers >= 1 and returns it. */
export function assertImageShape(
  imageShape: readonly number[],
  caller: string,
): [number, number, number, number] {
  const valid =
    Array.isArray(imageShape) &&
    imageShape.length === 4 &&
    imageShape.every((size) => Number.isInteger(size) && size >= 1);
  if (!valid) {
    throw new RangeError(
      `${caller}: imageShape must be [N, H, W, C] of integers >= 1, ` +
        `but got [${Array.isArray(imageShape) ? imageShape.join(', ') : String(imageShape)}].`,
    );
  }
  return imageShape as [number, number, number, number];
}

/** Checks that `param` is a non-null object and returns it as a record. */
export function assertRecord(param: unknown, name: string): Record<string, unknown> {
  if (typeof param !== 'object' || param === null || Array.isArray(param)) {
    throw new TypeError(`${name} must be an object, but got ${JSON.stringify(param)}.`);
  }
  return param as Record<string, unknown>;
}

/** Parameters of an op that either runs on an image or leaves it unchanged. */
export interface FlagParams {
  /** Whether the op runs on this image. */
  readonly applied: boolean;
}

/** Checks a {@link FlagParams} record. */
export function assertFlagParam(param: FlagParams, name: string): void {
  assertBoolean(`${name}.applied`, assertRecord(param, name).applied);
}
