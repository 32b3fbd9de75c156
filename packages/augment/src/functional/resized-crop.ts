import * as tf from '@tensorflow/tfjs-core';

import { assertImageBatch } from '../image-batch';

/** A crop rectangle in whole pixels of the source image. */
export interface CropBox {
  /** Row of the top edge, in [0, imageHeight - height]. */
  readonly top: number;
  /** Column of the left edge, in [0, imageWidth - width]. */
  readonly left: number;
  /** Height in pixels, in [1, imageHeight]. */
  readonly height: number;
  /** Width in pixels, in [1, imageWidth]. */
  readonly width: number;
}

/** Checks that `crop` is a box of whole pixels inside an `imageHeight × imageWidth` image. */
export function assertCropBox(
  crop: CropBox,
  imageHeight: number,
  imageWidth: number,
  name: string,
): void {
  const { top, left, height, width } = crop;
  const inside =
    [top, left, height, width].every(Number.isInteger) &&
    height >= 1 &&
    width >= 1 &&
    top >= 0 &&
    left >= 0 &&
    top + height <= imageHeight &&
    left + width <= imageWidth;
  if (!inside) {
    throw new RangeError(
      `${name} must be whole pixels inside the ${imageHeight}×${imageWidth} image ` +
        `(top >= 0, left >= 0, height >= 1, width >= 1, top + height <= ${imageHeight}, ` +
        `left + width <= ${imageWidth}), but got ${JSON.stringify(crop)}.`,
    );
  }
}

/**
 * Maps pixel boxes to the normalised `[y1, x1, y2, x2]` rows of `tf.image.cropAndResize`,
 * whose end points are the centres of the first and last pixel. A flipped box has x1 > x2,
 * which cropAndResize samples right to left.
 */
function toNormalisedBoxes(
  crops: readonly CropBox[],
  flips: readonly boolean[],
  imageHeight: number,
  imageWidth: number,
): Float32Array {
  // A 1-pixel axis has no span, and cropAndResize then samples its only row or column.
  const rowScale = imageHeight > 1 ? 1 / (imageHeight - 1) : 0;
  const columnScale = imageWidth > 1 ? 1 / (imageWidth - 1) : 0;
  const boxes = new Float32Array(crops.length * 4);
  crops.forEach((crop, i) => {
    const [y1, y2] = insetSpan(crop.top, crop.top + crop.height - 1, imageHeight, rowScale);
    const [x1, x2] = insetSpan(crop.left, crop.left + crop.width - 1, imageWidth, columnScale);
    boxes[4 * i] = y1;
    boxes[4 * i + 1] = flips[i] ? x2 : x1;
    boxes[4 * i + 2] = y2;
    boxes[4 * i + 3] = flips[i] ? x1 : x2;
  });
  return boxes;
}

/**
 * Normalises the pixel span [first, last] of an axis of `size` pixels. An end
 * on the image border moves 3e-5 pixel inwards, because the wasm backend
 * (tfjs 4.22) computes sample positions in float32. A border position can then
 * land a rounding error outside the image, where cropAndResize writes its
 * extrapolation value 0 instead of the pixel. The inset changes interpolated
 * values by at most 3e-5 of a neighbour difference.
 */
function insetSpan(first: number, last: number, size: number, scale: number): [number, number] {
  const inset = 3e-5;
  const start = first === 0 && last > first ? inset : first;
  const end = last === size - 1 && last > first ? last - inset : last;
  return [start * scale, end * scale];
}

/** Output height and width `[H, W]` of a resize, in pixels. */
export type OutputSize = readonly [height: number, width: number];

/** Checks that `size` is `[height, width]` of integers >= 1. */
export function assertOutputSize(
  name: string,
  size: readonly number[],
): asserts size is OutputSize {
  if (size.length !== 2 || !size.every((side) => Number.isInteger(side) && side >= 1)) {
    throw new RangeError(
      `${name} must be [height, width] in whole pixels >= 1, but got [${size.join(', ')}].`,
    );
  }
}

/**
 * Crops and resizes inputs that are already checked, as {@link resizedCrop} does. `size`
 * defaults to the input's H × W.
 */
export function applyResizedCrop(
  images: tf.Tensor4D,
  crops: readonly CropBox[],
  flips: readonly boolean[],
  size?: OutputSize,
): tf.Tensor4D {
  const [batchSize, imageHeight, imageWidth] = images.shape;
  const [outputHeight, outputWidth] = size ?? [imageHeight, imageWidth];
  const identity =
    outputHeight === imageHeight &&
    outputWidth === imageWidth &&
    crops.every(
      (crop, i) =>
        !flips[i] &&
        crop.top === 0 &&
        crop.left === 0 &&
        crop.height === imageHeight &&
        crop.width === imageWidth,
    );
  if (identity) {
    return tf.clone(images);
  }
  return tf.tidy(() => {
    const boxes = tf.tensor2d(toNormalisedBoxes(crops, flips, imageHeight, imageWidth), [
      batchSize,
      4,
    ]);
    const boxIndices = tf.range(0, batchSize, 1, 'int32');
    return tf.image.cropAndResize(
      images,
      boxes,
      boxIndices,
      [outputHeight, outputWidth],
      'bilinear',
    );
  });
}

/** Options of {@link resizedCrop}. */
export interface ResizedCropOptions {
  /** One flag per image: mirror the crop left to right. Default all false. */
  flips?: readonly boolean[];
  /** Output `[height, width]` in pixels. Default the input's H × W. */
  size?: OutputSize;
}

/**
 * Crops one box from each image and resizes it to `size` (by default back to `H × W`) with
 * bilinear interpolation, mirroring it left to right where `flips[i]` is true. All boxes go
 * through one batched `tf.image.cropAndResize` call.
 *
 * NOTE: cropAndResize maps the centres of the box's first and last pixels onto the centres
 * of the first and last output pixels (align-corners sampling). torchvision resizes with
 * half-pixel centres instead, so an upscaled crop here is shifted and stretched by under
 * half a source pixel relative to torchvision's.
 *
 * @param images float32 `[N, H, W, C]`.
 * @param crops one pixel box per image, inside the image.
 * @param options `{ flips, size }`, see {@link ResizedCropOptions}. An array in its place is
 *   taken as `flips`, the form of earlier versions.
 * @returns float32 `[N, size[0], size[1], C]`. The full-image box at the input size without
 *   flip returns a copy of the input.
 * @example
 * // The centre half of each 32×32 image, scaled to 16×16.
 * const box = { top: 8, left: 8, height: 16, width: 16 };
 * const out = resizedCrop(images, [box, box], { size: [16, 16] });
 */
export function resizedCrop(
  images: tf.Tensor4D,
  crops: readonly CropBox[],
  options?: ResizedCropOptions | readonly boolean[],
): tf.Tensor4D {
  assertImageBatch(images, 'resizedCrop', 'any');
  const [batchSize, imageHeight, imageWidth] = images.shape;
  const settings: ResizedCropOptions = Array.isArray(options)
    ? { flips: options as readonly boolean[] }
    : ((options as ResizedCropOptions | undefined) ?? {});
  const flags = settings.flips ?? new Array<boolean>(batchSize).fill(false);
  if (crops.length !== batchSize || flags.length !== batchSize) {
    throw new RangeError(
      `resizedCrop needs one crop and one flip flag per image (${batchSize}), ` +
        `but got ${crops.length} crops and ${flags.length} flags.`,
    );
  }
  crops.forEach((crop, i) => assertCropBox(crop, imageHeight, imageWidth, `crops[${i}]`));
  if (settings.size !== undefined) {
    assertOutputSize('resizedCrop size', settings.size);
  }
  return applyResizedCrop(images, crops, flags, settings.size);
}
