import * as tf from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropInputAttrs,
  KernelBackend,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { runComposite } from './run-composite';
import { channelsLastPadding, cropForConv, type ConvPadding } from './signed-padding';

type RoundingMode = Conv2DBackpropInputAttrs['dimRoundingMode'];

/**
 * Computes the gradient of a 2-D convolution with respect to its input (also the
 * forward pass of a transposed convolution) with forward `conv2d`s, one per stride phase.
 *
 * With s the stride and (pt, pl) the top and left padding of the forward pass,
 *
 *   dx[b, h, w, c] = Σ_{i, j, k} dy[b, p, q, k] · W[i, j, c, k]  where h = s·p + i − pt.
 *
 * The textbook composition convolves dy, zero-inserted (s − 1 zeros after every row and
 * column) and padded by fh − 1 − pt, with the filter reversed in space and its channel
 * axes swapped. Here each output phase (h + pt) mod s = r uses only the taps
 * i = r, r + s, r + 2s, …, so each phase is one stride-1 convolution of dy itself with
 * that sub-filter, which skips the multiplications by inserted zeros (3/4 of them for
 * stride 2). The phases are interleaved with `concat` and reshapes, then cropped to
 * `[N, H, W, C]`. Padding that comes out negative crops dy. Dilations of the forward pass
 * must be 1, as in every tfjs gradient.
 *
 * @param inputShape Forward input shape `[N, H, W, C]`.
 * @param dy Gradient of the forward output, `[N, outH, outW, K]` float32.
 * @param filter Forward filter, `[fh, fw, C, K]` float32.
 * @param strides Forward strides, a number or `[strideHeight, strideWidth]`.
 * @param pad Forward padding: 'same', 'valid', a number, or explicit
 *   `[[0, 0], [top, bottom], [left, right], [0, 0]]`.
 * @param dimRoundingMode Forward output-size rounding, only with a numeric `pad`.
 * @returns `[N, H, W, C]` float32.
 * @throws Error if `dy`'s shape differs from the forward output shape.
 */
export function conv2dInputGradient(
  inputShape: [number, number, number, number],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: number | [number, number],
  pad: ConvPadding,
  dimRoundingMode?: RoundingMode,
): tf.Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const expectedDy = [inputShape[0], info.outHeight, info.outWidth, filter.shape[3]];
  if (!tf.util.arraysEqual(dy.shape, expectedDy)) {
    throw new Error(
      `Conv2DBackpropInput: dy has shape [${dy.shape}], but input [${inputShape}] with filter ` +
        `[${filter.shape}] gives a forward output of shape [${expectedDy}].`,
    );
  }

  const rows = phaseSpan(info.padInfo.top, info.inHeight, info.strideHeight);
  const cols = phaseSpan(info.padInfo.left, info.inWidth, info.strideWidth);
  const phaseRows: tf.Tensor4D[] = [];
  for (let rowPhase = 0; rowPhase < info.strideHeight; rowPhase++) {
    const phases: tf.Tensor4D[] = [];
    for (let colPhase = 0; colPhase < info.strideWidth; colPhase++) {
      phases.push(phaseGradient(dy, filter, info, rows, cols, rowPhase, colPhase));
    }
    phaseRows.push(interleave(phases, 2));
  }
  const interleaved = interleave(phaseRows, 1);

  const [batch, height, width, channels] = interleaved.shape;
  const cropTop = info.padInfo.top - rows.first * info.strideHeight;
  const cropLeft = info.padInfo.left - cols.first * info.strideWidth;
  if (cropTop === 0 && cropLeft === 0 && height === info.inHeight && width === info.inWidth) {
    return interleaved;
  }
  return tf.slice(
    interleaved,
    [0, cropTop, cropLeft, 0],
    [batch, info.inHeight, info.inWidth, channels],
  );
}

/**
 * Phase indices u that cover one spatial axis: input position h maps to phase
 * (h + pad) mod stride and index u = floor((h + pad) / stride). Every phase is computed
 * over the same `count` indices from `first`, so the phases interleave into a regular
 * grid that starts `pad − first·stride` positions before the input.
 */
interface PhaseSpan {
  first: number;
  count: number;
}

function phaseSpan(padBefore: number, size: number, stride: number): PhaseSpan {
  const first = Math.floor(padBefore / stride);
  const end = Math.ceil((padBefore + size) / stride);
  return { first, count: end - first };
}

/**
 * Gradient for the inputs in one stride phase, `[N, rows.count, cols.count, C]`:
 * dx_phase[u] = Σ_m dy[u − m] · W[rowPhase + s·m], a stride-1 convolution of dy with the
 * reversed, channel-swapped sub-filter of that phase.
 */
function phaseGradient(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
  rows: PhaseSpan,
  cols: PhaseSpan,
  rowPhase: number,
  colPhase: number,
): tf.Tensor4D {
  const { filterHeight, filterWidth, strideHeight, strideWidth, inChannels, outChannels } = info;
  const outShape: [number, number, number, number] = [
    info.batchSize,
    rows.count,
    cols.count,
    inChannels,
  ];
  const tapRows = Math.ceil((filterHeight - rowPhase) / strideHeight);
  const tapCols = Math.ceil((filterWidth - colPhase) / strideWidth);
  if (tapRows <= 0 || tapCols <= 0) {
    // The stride exceeds the filter size, so no tap reaches this phase.
    return tf.zeros(outShape);
  }

  // Pad dy so that a valid convolution returns rows.count rows starting at rows.first.
  const top = tapRows - 1 - rows.first;
  const bottom = rows.count + tapRows - 1 - top - info.outHeight;
  const left = tapCols - 1 - cols.first;
  const right = cols.count + tapCols - 1 - left - info.outWidth;
  if (
    -top >= info.outHeight ||
    -bottom >= info.outHeight ||
    -left >= info.outWidth ||
    -right >= info.outWidth
  ) {
    // The crop removes every row or column of dy, so the phase reads only padding.
    return tf.zeros(outShape);
  }

  const subFilter =
    strideHeight === 1 && strideWidth === 1
      ? filter
      : tf.stridedSlice(
          filter,
          [rowPhase, colPhase, 0, 0],
          [filterHeight, filterWidth, inChannels, outChannels],
          [strideHeight, strideWidth, 1, 1],
        );
  const flipped = tf.transpose(tf.reverse(subFilter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  const { cropped, pad } = cropForConv(dy, { top, bottom, left, right });
  return tf.conv2d(cropped, flipped, 1, pad);
}

/**
 * Interleaves equally shaped `[N, H, W, C]` phases along `axis` (1 for rows, 2 for
 * columns): element u of phase r lands at position u·phases.length + r.
 */
function interleave(phases: tf.Tensor4D[], axis: 1 | 2): tf.Tensor4D {
  if (phases.length === 1) {
    return phases[0]!;
  }

  const [batch, height, width, channels] = phases[0]!.shape;
  const expanded = phases.map((phase) => tf.expandDims(phase, axis + 1));
  const stacked = tf.concat(expanded, axis + 1);
  return axis === 1
    ? tf.reshape(stacked, [batch, height * phases.length, width, channels])
    : tf.reshape(stacked, [batch, height, width * phases.length, channels]);
}

/**
 * Kernel function for `Conv2DBackpropInput` built on {@link conv2dInputGradient}.
 * Inputs `dy` and `filter`; attributes as in tfjs-core's `Conv2DBackpropInputAttrs`.
 * NCHW tensors are transposed to NHWC and the result back to NCHW.
 */
export const conv2DBackpropInputKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs;
  if (dy === undefined || filter === undefined) {
    throw new Error('Conv2DBackpropInput: inputs dy and filter are required.');
  }
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    attrs as unknown as Conv2DBackpropInputAttrs;

  return runComposite(
    backend as KernelBackend,
    [dy, filter] as TensorInfo[],
    (dyTensor, filterTensor) => {
      const filter4D = filterTensor as tf.Tensor4D;
      if (dataFormat !== 'NCHW') {
        return conv2dInputGradient(
          inputShape,
          dyTensor as tf.Tensor4D,
          filter4D,
          strides,
          pad,
          dimRoundingMode,
        );
      }

      const [batch, channels, height, width] = inputShape;
      const dyNHWC = tf.transpose(dyTensor as tf.Tensor4D, [0, 2, 3, 1]);
      const dxNHWC = conv2dInputGradient(
        [batch, height, width, channels],
        dyNHWC,
        filter4D,
        strides,
        channelsLastPadding(pad),
        dimRoundingMode,
      );
      return tf.transpose(dxNHWC, [0, 3, 1, 2]);
    },
  );
};
