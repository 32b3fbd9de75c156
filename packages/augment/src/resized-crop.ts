import * as tf from '@tensorflow/tfjs-core';

import { assertImageBatch } from './image-batch';
import type { Rng } from './rng';

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

const MAX_ATTEMPTS = 10;

/**
 * Checks that `range` is `[lo, hi]` with finite 0 < lo <= hi <= max, and throws a `RangeError`
 * that names it otherwise.
 */
export function assertPositiveRange(
  name: string,
  range: readonly number[],
  max: number,
): asserts range is readonly [number, number] {
  const [lo = NaN, hi = NaN] = range;
  const valid = range.length === 2 && lo > 0 && lo <= hi && hi <= max && Number.isFinite(hi);
  if (!valid) {
    const bound = max === Infinity ? '' : ` <= ${max}`;
    throw new RangeError(
      `${name} must be [lo, hi] with finite 0 < lo <= hi${bound}, but got [${range.join(', ')}].`,
    );
  }
}

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
  scale: readonly [number, number],
  ratio: readonly [number, number],
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
  scale: readonly [number, number],
  ratio: readonly [number, number],
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

function centreCropBox(
  imageHeight: number,
  imageWidth: number,
  ratio: readonly [number, number],
): CropBox {
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

/** Crops and resizes inputs that are already checked, as {@link resizedCrop} does. */
export function applyResizedCrop(
  images: tf.Tensor4D,
  crops: readonly CropBox[],
  flips: readonly boolean[],
): tf.Tensor4D {
  const [batchSize, imageHeight, imageWidth] = images.shape;
  const identity = crops.every(
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
    return tf.image.cropAndResize(images, boxes, boxIndices, [imageHeight, imageWidth], 'bilinear');
  });
}

/**
 * Crops one box from each image and resizes it back to `H × W` with bilinear interpolation,
 * mirroring it left to right where `flips[i]` is true. All boxes go through one batched
 * `tf.image.cropAndResize` call.
 *
 * NOTE: cropAndResize maps the centres of the box's first and last pixels onto the centres
 * of the first and last output pixels (align-corners sampling). torchvision resizes with
 * half-pixel centres instead, so an upscaled crop here is shifted and stretched by under
 * half a source pixel relative to torchvision's.
 *
 * @param images float32 `[N, H, W, 3]`.
 * @param crops one pixel box per image, inside the image.
 * @param flips one flag per image, by default all false.
 * @returns float32 `[N, H, W, 3]`. The full-image box without flip returns the input.
 */
export function resizedCrop(
  images: tf.Tensor4D,
  crops: readonly CropBox[],
  flips?: readonly boolean[],
): tf.Tensor4D {
  assertImageBatch(images, 'resizedCrop');
  const [batchSize, imageHeight, imageWidth] = images.shape;
  const flags = flips ?? new Array<boolean>(batchSize).fill(false);
  if (crops.length !== batchSize || flags.length !== batchSize) {
    throw new RangeError(
      `resizedCrop needs one crop and one flip flag per image (${batchSize}), ` +
        `but got ${crops.length} crops and ${flags.length} flags.`,
    );
  }
  crops.forEach((crop, i) => assertCropBox(crop, imageHeight, imageWidth, `crops[${i}]`));
  return applyResizedCrop(images, crops, flags);
}
