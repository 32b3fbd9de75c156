import * as tf from '@tensorflow/tfjs-core';
import type { Module, NamedVariable } from '../module';
import { windowOutputSize, type ShapeTrace, type ShapeTraceable } from '../summary';

/** Configuration of a 2-D max-pool. */
export interface MaxPool2dConfig {
  /** Square window size in pixels. */
  kernelSize: number;
  /** Stride in pixels. */
  stride: number;
  /** Padding on every side in pixels, at most half the window. Default 0. */
  padding?: number;
}

/**
 * 2-D max-pooling, NHWC, with the semantics of PyTorch's `nn.MaxPool2d`. Padded positions
 * never win the maximum, and the output size is floor((H + 2·padding − kernelSize) / stride)
 * + 1. The gradient of each output goes to the first maximum of its window in row-major
 * order. The forward pass runs on tfjs's `MaxPool` kernel.
 *
 * Porting note: the gradient is composed from `Equal`, `Mul`, `Pad`, `Slice` and `Reshape`
 * instead of tfjs's `MaxPoolGrad` kernel. In tfjs-backend-wasm 4.22 that kernel starts its
 * running maximum at `std::numeric_limits<float>::min()`, the smallest positive float. A
 * window whose maximum is 0 or negative, such as an all-zero window after ReLU, therefore
 * sends its gradient to element 0 of the input instead of to its maximum.
 */
export class MaxPool2d implements Module, ShapeTraceable {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;

  constructor(config: MaxPool2dConfig) {
    this.kernelSize = config.kernelSize;
    this.stride = config.stride;
    this.padding = config.padding ?? 0;
    for (const [name, value] of Object.entries({
      kernelSize: this.kernelSize,
      stride: this.stride,
    })) {
      if (!Number.isInteger(value) || value < 1) {
        throw new Error(`Invalid MaxPool2d ${name} ${value}: expected a positive integer.`);
      }
    }
    if (!Number.isInteger(this.padding) || this.padding < 0 || this.padding > this.kernelSize / 2) {
      throw new Error(
        `Invalid MaxPool2d padding ${this.padding}: expected an integer from 0 to half the kernel size ${this.kernelSize}.`,
      );
    }
  }

  /** Pools `x` `[N, H, W, C]` into `[N, H', W', C]`. */
  apply(x: tf.Tensor4D): tf.Tensor4D {
    return this.pool(x);
  }

  private readonly pool = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    // tfjs skips padded positions when it takes the maximum, which equals PyTorch's
    // padding with −∞.
    const y = tf.maxPool(
      x,
      this.kernelSize,
      this.stride,
      this.padding === 0 ? 'valid' : this.padding,
    );
    save([x, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        this.inputGradient(dy as tf.Tensor4D, saved[0] as tf.Tensor4D, saved[1] as tf.Tensor4D),
      ],
    };
  }) as (x: tf.Tensor4D) => tf.Tensor4D;

  /**
   * Routes each output gradient to the first input of its window, in row-major order, that
   * equals the window's maximum. For each offset in the window, a strided view of the padded
   * input gathers the inputs at that offset. A mask keeps those that equal the maximum and
   * that no earlier offset has claimed, and zero-insertion scatters the masked gradient back.
   */
  private inputGradient(dy: tf.Tensor4D, x: tf.Tensor4D, y: tf.Tensor4D): tf.Tensor4D {
    const { kernelSize: k, stride: s, padding: p } = this;
    const [batch, height, width, channels] = x.shape;
    const [, outHeight, outWidth] = y.shape;
    // Padded so that every offset's strided view of s · outHeight rows fits.
    const paddedHeight = Math.max(height + 2 * p, k - 1 + s * outHeight);
    const paddedWidth = Math.max(width + 2 * p, k - 1 + s * outWidth);
    const padded = tf.pad(
      x,
      [
        [0, 0],
        [p, paddedHeight - height - p],
        [p, paddedWidth - width - p],
        [0, 0],
      ],
      -Infinity,
    );

    let unclaimed: tf.Tensor4D = tf.onesLike(y);
    const parts: tf.Tensor4D[] = [];
    for (let rowOffset = 0; rowOffset < k; rowOffset++) {
      for (let columnOffset = 0; columnOffset < k; columnOffset++) {
        const view = stridedView(padded, rowOffset, columnOffset, s, outHeight, outWidth);
        const isMaximum = tf.mul(tf.cast(tf.equal(view, y), 'float32'), unclaimed) as tf.Tensor4D;
        unclaimed = tf.sub(unclaimed, isMaximum);
        const scattered = zeroInsert(tf.mul(dy, isMaximum) as tf.Tensor4D, s);
        parts.push(
          tf.pad(scattered, [
            [0, 0],
            [rowOffset, paddedHeight - rowOffset - s * outHeight],
            [columnOffset, paddedWidth - columnOffset - s * outWidth],
            [0, 0],
          ]),
        );
      }
    }
    // A running sum rather than one addN: WebGPU's AddN binds one storage buffer per input,
    // and with 8 or more inputs it exceeds the default limit and returns stale memory
    // (tfjs-backend-webgpu 4.22, packages/parity/README.md).
    let total = parts[0]!;
    for (const part of parts.slice(1)) {
      total = tf.add(total, part);
    }
    return tf.slice(total, [0, p, p, 0], [batch, height, width, channels]);
  }

  namedVariables(): NamedVariable[] {
    return [];
  }

  traceShapes(inputShape: number[], trace: ShapeTrace, name: string): number[] {
    if (inputShape.length !== 4) {
      throw new Error(
        `Invalid input shape [${inputShape.join(', ')}] for MaxPool2d '${name}': expected [N, H, W, C].`,
      );
    }
    const [batch, height, width, channels] = inputShape as [number, number, number, number];
    const size = (length: number) =>
      windowOutputSize(length, this.kernelSize, this.stride, this.padding);
    return trace.layer(name, 'MaxPool2d', [batch, size(height), size(width), channels]);
  }

  dispose(): void {}
}

/**
 * Elements `[n, rowOffset + stride · i, columnOffset + stride · j, c]` of `x`. The reshapes
 * stay at rank 4 because tfjs-backend-webgpu 4.22 miscompiles some rank-5 and rank-6 kernels.
 */
function stridedView(
  x: tf.Tensor4D,
  rowOffset: number,
  columnOffset: number,
  stride: number,
  rows: number,
  columns: number,
): tf.Tensor4D {
  const [batch, , , channels] = x.shape;
  const window = tf.slice(
    x,
    [0, rowOffset, columnOffset, 0],
    [batch, stride * rows, stride * columns, channels],
  );
  // [n · rows + i, a, j, b · C + c] is the element at row i · stride + a, column j · stride + b.
  const split = tf.reshape(window, [batch * rows, stride, columns, stride * channels]);
  const picked = tf.slice(split, [0, 0, 0, 0], [batch * rows, 1, columns, channels]);
  return tf.reshape(picked, [batch, rows, columns, channels]);
}

/**
 * Spreads `x` `[N, H, W, C]` to `[N, stride · H, stride · W, C]`, zeros between the values.
 * It is the inverse layout of {@link stridedView}: one rank-4 pad, because WebGPU's
 * rank-5 and rank-6 pads fail to compile in tfjs-backend-webgpu 4.22
 * (packages/parity/README.md).
 */
function zeroInsert(x: tf.Tensor4D, stride: number): tf.Tensor4D {
  const [batch, rows, columns, channels] = x.shape;
  const spread = tf.pad(tf.reshape(x, [batch * rows, 1, columns, channels]), [
    [0, 0],
    [0, stride - 1],
    [0, 0],
    [0, (stride - 1) * channels],
  ]);
  return tf.reshape(spread, [batch, stride * rows, stride * columns, channels]);
}
