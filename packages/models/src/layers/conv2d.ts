import * as tf from '@tensorflow/tfjs-core';
import { heNormalFanOut } from '../init';
import type { Module, NamedVariable } from '../module';
import {
  checkTracedShape,
  windowOutputSize,
  type ShapeTrace,
  type ShapeTraceable,
} from '../summary';

/** Configuration of a bias-free 2-D convolution (it is always followed by BatchNorm). */
export interface Conv2dConfig {
  inChannels: number;
  outChannels: number;
  /** Square kernel size in pixels. */
  kernelSize: number;
  /** Stride in pixels; 1 or 2 in the ResNets here. */
  stride: number;
  /** Seed of the He-normal initialisation. */
  seed: number;
}

/**
 * A 2-D convolution without bias, NHWC, with symmetric zero padding of
 * `floor(kernelSize / 2)` pixels as PyTorch's ResNets use. Its weight has the
 * tfjs layout `[kh, kw, inChannels, outChannels]`.
 */
export class Conv2d implements Module, ShapeTraceable {
  readonly weight: tf.Variable<tf.Rank.R4>;
  private readonly padding: number;

  constructor(readonly config: Conv2dConfig) {
    const { inChannels, outChannels, kernelSize, seed } = config;
    this.weight = tf.tidy(() =>
      tf.variable(heNormalFanOut([kernelSize, kernelSize, inChannels, outChannels], seed)),
    );
    this.padding = Math.floor(kernelSize / 2);
  }

  /** Convolves `x` `[N, H, W, inChannels]` into `[N, H', W', outChannels]`. */
  apply(x: tf.Tensor4D): tf.Tensor4D {
    const p = this.padding;
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [p, p],
      [p, p],
      [0, 0],
    ];
    // Explicit padding matches PyTorch for stride 2; 'same' would pad only after.
    return tf.conv2d(x, this.weight, this.config.stride, p === 0 ? 'valid' : pad);
  }

  namedVariables(): NamedVariable[] {
    return [{ name: 'weight', variable: this.weight }];
  }

  traceShapes(inputShape: number[], trace: ShapeTrace, name: string): number[] {
    const { inChannels, outChannels, kernelSize, stride } = this.config;
    checkTracedShape(`Conv2d '${name}'`, inputShape, 4, inChannels);
    const [batch, height, width] = inputShape as [number, number, number, number];
    const outputShape = [
      batch,
      windowOutputSize(height, kernelSize, stride, this.padding),
      windowOutputSize(width, kernelSize, stride, this.padding),
      outChannels,
    ];
    const positions = outputShape[0]! * outputShape[1]! * outputShape[2]!;
    const parameters = this.weight.trainable ? this.weight.size : 0;
    return trace.layer(name, 'Conv2d', outputShape, parameters, positions * this.weight.size);
  }

  dispose(): void {
    this.weight.dispose();
  }
}
