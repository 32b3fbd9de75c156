import * as tf from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropFilterAttrs,
  KernelBackend,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { runComposite } from './run-composite';
import { channelsLastPadding, cropForConv, type ConvPadding } from './signed-padding';

type RoundingMode = Conv2DBackpropFilterAttrs['dimRoundingMode'];

/**
 * Computes the gradient of a 2-D convolution with respect to its filter, as one
 * forward `conv2d` (so a backend's fast convolution does the work).
 *
 * With s the stride and (pt, pl) the top and left padding of the forward pass,
 *
 *   dW[i, j, c, k] = Σ_{b, p, q} x[b, s·p + i − pt, s·q + j − pl, c] · dy[b, p, q, k],
 *
 * which is a stride-1 convolution with dilation s of x transposed to `[C, H, W, N]`
 * (channels as the batch, the batch as the channels) by the filter dy transposed to
 * `[outH, outW, N, K]`. The padded input is cropped to the rows and columns that the
 * forward pass reads, so the convolution's output is exactly `[fh, fw, C, K]` after a
 * final transpose. 1x1 filters take a cheaper path (see `pointwiseFilterGradient`).
 * Dilations of the forward pass must be 1, as in every tfjs gradient.
 *
 * @param x Forward input, `[N, H, W, C]` float32.
 * @param dy Gradient of the forward output, `[N, outH, outW, K]` float32.
 * @param filterShape `[fh, fw, C, K]`.
 * @param strides Forward strides, a number or `[strideHeight, strideWidth]`.
 * @param pad Forward padding: 'same', 'valid', a number, or explicit
 *   `[[0, 0], [top, bottom], [left, right], [0, 0]]`.
 * @param dimRoundingMode Forward output-size rounding, only with a numeric `pad`.
 * @returns `[fh, fw, C, K]` float32.
 * @throws Error if `dy`'s shape differs from the forward output shape.
 */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: ConvPadding,
  dimRoundingMode?: RoundingMode,
): tf.Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const expectedDy = [x.shape[0], info.outHeight, info.outWidth, filterShape[3]];
  if (!tf.util.arraysEqual(dy.shape, expectedDy)) {
    throw new Error(
      `Conv2DBackpropFilter: dy has shape [${dy.shape}], but x [${x.shape}] with filter ` +
        `[${filterShape}] gives a forward output of shape [${expectedDy}].`,
    );
  }

  if (info.filterHeight === 1 && info.filterWidth === 1) {
    return pointwiseFilterGradient(x, dy, info, strides, pad, dimRoundingMode);
  }

  // The last input row that the forward pass reads is (outH − 1)·s + fh − 1 − pt, so
  // the bottom padding may be negative, which crops rows the forward pass never reads.
  const spanHeight = (info.outHeight - 1) * info.strideHeight + info.filterHeight;
  const spanWidth = (info.outWidth - 1) * info.strideWidth + info.filterWidth;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  if (spanHeight <= top || spanWidth <= left) {
    // Every window lies in the padding, so no input value reaches the output.
    return tf.zeros(filterShape);
  }

  const channelsAsBatch = tf.transpose(x, [3, 1, 2, 0]);
  const { cropped, pad: explicitPad } = cropForConv(channelsAsBatch, {
    top,
    bottom: spanHeight - top - info.inHeight,
    left,
    right: spanWidth - left - info.inWidth,
  });
  const dyAsFilter = tf.transpose(dy, [1, 2, 0, 3]);
  const gradient = tf.conv2d(cropped, dyAsFilter, 1, explicitPad, 'NHWC', [
    info.strideHeight,
    info.strideWidth,
  ]);
  return tf.transpose(gradient, [1, 2, 0, 3]);
}

/**
 * Filter gradient of a 1x1 convolution, `[1, 1, C, K]`. Each output pixel reads one input
 * pixel, so a 1x1 convolution with an identity filter and the forward strides and
 * padding picks exactly those pixels (multiplying by 1 and adding zeros is exact). That
 * avoids the dilated convolution over all of x and the slow crop of its unread rows.
 */
function pointwiseFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
  strides: number | [number, number],
  pad: ConvPadding,
  dimRoundingMode?: RoundingMode,
): tf.Tensor4D {
  const { inChannels, outChannels } = info;
  const readsXAsIs =
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.outHeight === info.inHeight &&
    info.outWidth === info.inWidth;
  const sampled = readsXAsIs
    ? x
    : tf.conv2d(
        x,
        tf.reshape(tf.eye(inChannels), [1, 1, inChannels, inChannels]) as tf.Tensor4D,
        strides,
        pad,
        'NHWC',
        1,
        dimRoundingMode,
      );

  // [C, outH, outW, N] convolved with [outH, outW, N, K] sums over pixels and batch.
  const gradient = tf.conv2d(
    tf.transpose(sampled, [3, 1, 2, 0]),
    tf.transpose(dy, [1, 2, 0, 3]),
    1,
    'valid',
  );
  return tf.reshape(gradient, [1, 1, inChannels, outChannels]);
}

/**
 * Kernel function for `Conv2DBackpropFilter` built on {@link conv2dFilterGradient}.
 * Inputs `x` and `dy`; attributes as in tfjs-core's `Conv2DBackpropFilterAttrs`.
 * NCHW inputs are transposed to NHWC first.
 */
export const conv2DBackpropFilterKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs;
  if (x === undefined || dy === undefined) {
    throw new Error('Conv2DBackpropFilter: inputs x and dy are required.');
  }
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as Conv2DBackpropFilterAttrs;

  return runComposite(backend as KernelBackend, [x, dy] as TensorInfo[], (xTensor, dyTensor) => {
    const x4D = xTensor as tf.Tensor4D;
    const dy4D = dyTensor as tf.Tensor4D;
    if (dataFormat !== 'NCHW') {
      return conv2dFilterGradient(x4D, dy4D, filterShape, strides, pad, dimRoundingMode);
    }

    return conv2dFilterGradient(
      tf.transpose(x4D, [0, 2, 3, 1]),
      tf.transpose(dy4D, [0, 2, 3, 1]),
      filterShape,
      strides,
      channelsLastPadding(pad),
      dimRoundingMode,
    );
  });
};
