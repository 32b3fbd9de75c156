import * as tf from '@tensorflow/tfjs-core';

import { assertImageBatch } from '../image-batch';
import { selectPerImage } from '../image-groups';

/** Expands one flag per image (or one for all) and checks it. */
function perImageFlags(
  flags: boolean | readonly boolean[],
  batchSize: number,
  caller: string,
): readonly boolean[] {
  const values = typeof flags === 'boolean' ? new Array<boolean>(batchSize).fill(flags) : flags;
  if (values.length !== batchSize || !values.every((flag) => typeof flag === 'boolean')) {
    throw new RangeError(
      `${caller}: flags must be one boolean per image (${batchSize}) or one for all, ` +
        `but got [${values.join(', ')}].`,
    );
  }
  return values;
}

/**
 * Reverses axis `axis` (1 for rows, 2 for columns) of the images whose flag is set. Inputs
 * are not checked.
 *
 * The whole batch is flipped and the flagged images are picked by {@link selectPerImage}.
 * Left-right flips use `tf.image.flipLeftRight`, about 1.7 ms for a 256×32×32×3 batch on the
 * wasm backend (tfjs 4.22), where `tf.reverse` took about 19 ms. A single `tf.gather` with
 * per-image indices (`batchDims` 1) would return wrong rows on that backend after the first
 * image.
 */
export function applyFlip(
  images: tf.Tensor4D,
  flags: readonly boolean[],
  axis: 1 | 2,
): tf.Tensor4D {
  if (!flags.some((flag) => flag)) {
    return tf.clone(images);
  }
  return tf.tidy(() => {
    const flipped = axis === 2 ? tf.image.flipLeftRight(images) : tf.reverse(images, 1);
    return selectPerImage(flags, flipped, images);
  });
}

/**
 * Mirrors images left to right (reverses the W axis), as torchvision's `hflip`. For finite
 * inputs the output contains the input values exactly.
 *
 * @param images float32 `[N, H, W, C]`.
 * @param flags one flag per image, or one for all (default true). Images whose flag is false
 *   are returned unchanged.
 * @returns float32 `[N, H, W, C]`.
 */
export function flipLeftRight(
  images: tf.Tensor4D,
  flags: boolean | readonly boolean[] = true,
): tf.Tensor4D {
  assertImageBatch(images, 'flipLeftRight', 'any');
  return applyFlip(images, perImageFlags(flags, images.shape[0], 'flipLeftRight'), 2);
}

/**
 * Mirrors images top to bottom (reverses the H axis), as torchvision's `vflip`. For finite
 * inputs the output contains the input values exactly.
 *
 * @param images float32 `[N, H, W, C]`.
 * @param flags one flag per image, or one for all (default true). Images whose flag is false
 *   are returned unchanged.
 * @returns float32 `[N, H, W, C]`.
 */
export function flipUpDown(
  images: tf.Tensor4D,
  flags: boolean | readonly boolean[] = true,
): tf.Tensor4D {
  assertImageBatch(images, 'flipUpDown', 'any');
  return applyFlip(images, perImageFlags(flags, images.shape[0], 'flipUpDown'), 1);
}
