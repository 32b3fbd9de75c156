import type * as tf from '@tensorflow/tfjs-core';

import {
  applyResizedCrop,
  assertCropBox,
  assertOutputSize,
  type CropBox,
  type OutputSize,
} from '../functional/resized-crop';
import type { Rng } from '../rng';
import { assertPositiveRange, type NumberRange } from '../validate';
import {
  Augmentation,
  assertRecord,
  type AugmentationOptions,
  type ImageSize,
} from './augmentation';

const MAX_ATTEMPTS = 10;

/**
 * Draws one crop box with the sampling of torchvision's `transforms.RandomResizedCrop.get_params`:
 * the area is a fraction of `H·W` drawn uniformly from `scale`, the aspect ratio width/height
 * is log-uniform in `ratio`, and the sides are rounded to whole pixels. If no box fits in 10
 * attempts, it returns the largest centred box whose aspect ratio is clamped into `ratio`.
 *
 * @param imageHeight H in pixels, an integer >= 1.
 * @param imageWidth W in pixels, an integer >= 1.
 * @param scale area fraction range `[lo, hi]` with 0 < lo <= hi <= 1. SimCLR uses [0.08, 1].
 * @param ratio aspect ratio range `[lo, hi]` with finite 0 < lo <= hi. SimCLR uses [3/4, 4/3].
 */
export function drawCropBox(
  imageHeight: number,
  imageWidth: number,
  rng: Rng,
  scale: NumberRange,
  ratio: NumberRange,
): CropBox {
  if (![imageHeight, imageWidth].every((size) => Number.isInteger(size) && size >= 1)) {
    throw new RangeError(
      `drawCropBox: imageHeight and imageWidth must be integers >= 1, ` +
        `but got ${imageHeight} and ${imageWidth}.`,
    );
  }
  assertPositiveRange('scale', scale, 1);
  assertPositiveRange('ratio', ratio, Infinity);
  return sampleCropBox(imageHeight, imageWidth, rng, scale, ratio);
}

/** Draws a crop box like {@link drawCropBox} for arguments that are already checked. */
export function sampleCropBox(
  imageHeight: number,
  imageWidth: number,
  rng: Rng,
  scale: NumberRange,
  ratio: NumberRange,
): CropBox {
  const area = imageHeight * imageWidth;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const targetArea = area * rng.uniform(scale[0], scale[1]);
    const aspectRatio = rng.logUniform(ratio[0], ratio[1]);
    const width = Math.round(Math.sqrt(targetArea * aspectRatio));
    const height = Math.round(Math.sqrt(targetArea / aspectRatio));
    if (width > 0 && width <= imageWidth && height > 0 && height <= imageHeight) {
      const top = rng.integer(0, imageHeight - height);
      const left = rng.integer(0, imageWidth - width);
      return { top, left, height, width };
    }
  }
  return centreCropBox(imageHeight, imageWidth, ratio);
}

function centreCropBox(imageHeight: number, imageWidth: number, ratio: NumberRange): CropBox {
  const imageRatio = imageWidth / imageHeight;
  let width = imageWidth;
  let height = imageHeight;
  if (imageRatio < ratio[0]) {
    height = Math.max(1, Math.round(imageWidth / ratio[0]));
  } else if (imageRatio > ratio[1]) {
    width = Math.max(1, Math.round(imageHeight * ratio[1]));
  }
  const top = Math.floor((imageHeight - height) / 2);
  const left = Math.floor((imageWidth - width) / 2);
  return { top, left, height, width };
}

/** Options of {@link RandomResizedCrop}. */
export interface RandomResizedCropOptions extends AugmentationOptions {
  /**
   * Range of the crop area as a fraction of the image area, 0 < lo <= hi <= 1.
   * Default [0.08, 1].
   */
  scale?: NumberRange;
  /** Range of the aspect ratio width/height, drawn log-uniformly. Default [3/4, 4/3]. */
  ratio?: NumberRange;
  /** Output `[height, width]` in pixels. Default: the input's size. SimCLR uses 224×224. */
  size?: OutputSize;
}

/**
 * Random resized crop, as torchvision's `RandomResizedCrop`: a box is drawn per image by
 * {@link drawCropBox} and resized bilinearly to `size` by {@link resizedCrop}, all boxes of
 * the batch in one `tf.image.cropAndResize` call.
 *
 * Parameters: one {@link CropBox} per image, in pixels of the input.
 *
 * @example
 * const crop = new RandomResizedCrop({ scale: [0.08, 1], size: [224, 224] });
 * const views = crop.apply(images, createRng(0));
 */
export class RandomResizedCrop extends Augmentation<CropBox> {
  readonly name = 'random-resized-crop';
  readonly scale: NumberRange;
  readonly ratio: NumberRange;
  readonly size: OutputSize | undefined;

  constructor(options: RandomResizedCropOptions = {}) {
    super(options);
    const { scale = [0.08, 1], ratio = [3 / 4, 4 / 3], size } = options;
    assertPositiveRange('RandomResizedCrop scale', scale, 1);
    assertPositiveRange('RandomResizedCrop ratio', ratio, Infinity);
    if (size !== undefined) {
      assertOutputSize('RandomResizedCrop size', size);
    }
    this.scale = Object.freeze([scale[0], scale[1]] as const);
    this.ratio = Object.freeze([ratio[0], ratio[1]] as const);
    this.size = size === undefined ? undefined : Object.freeze([size[0], size[1]] as const);
  }

  override outputSize(input: ImageSize): ImageSize {
    return this.size === undefined ? input : { height: this.size[0], width: this.size[1] };
  }

  /** Returns the full-image box, or undefined when `size` resizes. */
  override identityParams(size: ImageSize): CropBox | undefined {
    const output = this.outputSize(size);
    if (output.height !== size.height || output.width !== size.width) {
      return undefined;
    }
    return { top: 0, left: 0, height: size.height, width: size.width };
  }

  protected drawOne(size: ImageSize, rng: Rng): CropBox {
    return sampleCropBox(size.height, size.width, rng, this.scale, this.ratio);
  }

  protected assertParam(param: CropBox, size: ImageSize, name: string): void {
    assertRecord(param, name);
    assertCropBox(param, size.height, size.width, name);
  }

  protected applyBatch(images: tf.Tensor4D, params: readonly CropBox[]): tf.Tensor4D {
    const flips = new Array<boolean>(params.length).fill(false);
    return applyResizedCrop(images, params, flips, this.size);
  }
}
