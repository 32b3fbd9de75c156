import * as tf from '@tensorflow/tfjs-core';

/** Padding of a 2-D convolution as tfjs kernels receive it. */
export type ConvPadding = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/** Rows and columns to add (positive) or remove (negative) at each spatial edge. */
export interface SignedPadding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * Applies signed spatial padding to an NHWC tensor in two parts: negative amounts are
 * cropped here with one `slice`, and positive amounts are returned as the explicit
 * padding for a following `conv2d`, which pads implicitly without copying the input.
 *
 * @param x `[N, H, W, C]` tensor.
 * @param padding Signed amounts; a crop must leave at least one row and one column.
 * @returns The cropped tensor (`x` itself when nothing is cropped) and the explicit
 *   padding `[[0, 0], [top, bottom], [left, right], [0, 0]]` with every entry ≥ 0.
 */
export function cropForConv(
  x: tf.Tensor4D,
  padding: SignedPadding,
): { cropped: tf.Tensor4D; pad: tf.backend_util.ExplicitPadding } {
  const [batch, height, width, channels] = x.shape;
  const cropTop = Math.max(0, -padding.top);
  const cropBottom = Math.max(0, -padding.bottom);
  const cropLeft = Math.max(0, -padding.left);
  const cropRight = Math.max(0, -padding.right);
  const pad: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [Math.max(0, padding.top), Math.max(0, padding.bottom)],
    [Math.max(0, padding.left), Math.max(0, padding.right)],
    [0, 0],
  ];
  if (cropTop + cropBottom + cropLeft + cropRight === 0) {
    return { cropped: x, pad };
  }

  // NOTE: wasm's Slice (tfjs 4.22) copies all of x and then loops in JavaScript, about
  // 35 ms for [64, 32, 32, 64] on a 2-core EPYC. Crops happen only when the stride
  // leaves the last rows or columns unread, e.g. a 3x3 'valid' stride-2 filter gradient
  // on even sizes, or with explicit padding wider than the filter.
  const cropped = tf.slice(
    x,
    [0, cropTop, cropLeft, 0],
    [batch, height - cropTop - cropBottom, width - cropLeft - cropRight, channels],
  );
  return { cropped, pad };
}

/**
 * Converts the padding of an NCHW convolution into the same padding for NHWC.
 * Only explicit padding differs: NCHW lists `[top, bottom]` and `[left, right]` as
 * entries 2 and 3, NHWC as entries 1 and 2.
 */
export function channelsLastPadding(pad: ConvPadding): ConvPadding {
  if (typeof pad !== 'object') {
    return pad;
  }
  return [[0, 0], pad[2], pad[3], [0, 0]];
}
