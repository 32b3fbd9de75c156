import type * as tf from '@tensorflow/tfjs-core';
import type { SeedSequence } from './init';
import { BatchNorm } from './layers/batch-norm';
import { Conv2d } from './layers/conv2d';
import { prefixNames, type ApplyOptions, type Module, type NamedVariable } from './module';
import type { ShapeTrace, ShapeTraceable } from './summary';

/**
 * The projection shortcut of a residual block, a strided 1×1 convolution and BatchNorm
 * (He et al., 2016, option B), saved as torchvision's `downsample.0` and `downsample.1`.
 */
export class Downsample implements Module, ShapeTraceable {
  private readonly conv: Conv2d;
  private readonly bn: BatchNorm;

  constructor(inChannels: number, outChannels: number, stride: number, seed: number) {
    this.conv = new Conv2d({ inChannels, outChannels, kernelSize: 1, stride, seed });
    this.bn = new BatchNorm({ channels: outChannels });
  }

  /** Returns the shortcut when a block changes the stride or the width, else null. */
  static ifNeeded(
    inChannels: number,
    outChannels: number,
    stride: number,
    seeds: SeedSequence,
  ): Downsample | null {
    return stride !== 1 || inChannels !== outChannels
      ? new Downsample(inChannels, outChannels, stride, seeds.next())
      : null;
  }

  apply(x: tf.Tensor4D, options: ApplyOptions): tf.Tensor4D {
    return this.bn.apply(this.conv.apply(x), options);
  }

  namedVariables(): NamedVariable[] {
    return [
      ...prefixNames('0', this.conv.namedVariables()),
      ...prefixNames('1', this.bn.namedVariables()),
    ];
  }

  traceShapes(inputShape: number[], trace: ShapeTrace, name: string): number[] {
    return trace.group(name, 'Sequential', () =>
      this.bn.traceShapes(this.conv.traceShapes(inputShape, trace, '0'), trace, '1'),
    );
  }

  dispose(): void {
    this.conv.dispose();
    this.bn.dispose();
  }
}
