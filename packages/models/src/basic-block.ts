import * as tf from '@tensorflow/tfjs-core';
import { Downsample } from './downsample';
import type { SeedSequence } from './init';
import { BatchNorm } from './layers/batch-norm';
import { Conv2d } from './layers/conv2d';
import { prefixNames, type ApplyOptions, type Module, type NamedVariable } from './module';
import type { ShapeTrace, ShapeTraceable } from './summary';

/**
 * The basic residual block of ResNet-18 and ResNet-34 (He et al., 2016, "Deep
 * Residual Learning for Image Recognition", Fig. 2): two 3×3 convolutions with
 * BatchNorm, and a 1×1 convolution with BatchNorm on the shortcut when the
 * stride or the width changes.
 */
export class BasicBlock implements Module, ShapeTraceable {
  private readonly conv1: Conv2d;
  private readonly bn1: BatchNorm;
  private readonly conv2: Conv2d;
  private readonly bn2: BatchNorm;
  private readonly downsample: Downsample | null;

  constructor(inChannels: number, outChannels: number, stride: number, seeds: SeedSequence) {
    this.conv1 = new Conv2d({ inChannels, outChannels, kernelSize: 3, stride, seed: seeds.next() });
    this.bn1 = new BatchNorm({ channels: outChannels });
    this.conv2 = new Conv2d({
      inChannels: outChannels,
      outChannels,
      kernelSize: 3,
      stride: 1,
      seed: seeds.next(),
    });
    this.bn2 = new BatchNorm({ channels: outChannels });
    this.downsample = Downsample.ifNeeded(inChannels, outChannels, stride, seeds);
  }

  /** Maps `[N, H, W, in]` to `[N, H / stride, W / stride, out]`. */
  apply(x: tf.Tensor4D, options: ApplyOptions): tf.Tensor4D {
    const hidden = this.bn1.applyRelu(this.conv1.apply(x), options);
    const residual = this.bn2.apply(this.conv2.apply(hidden), options);
    const shortcut = this.downsample === null ? x : this.downsample.apply(x, options);
    return tf.relu(tf.add(residual, shortcut)) as tf.Tensor4D;
  }

  namedVariables(): NamedVariable[] {
    const entries = [
      ...prefixNames('conv1', this.conv1.namedVariables()),
      ...prefixNames('bn1', this.bn1.namedVariables()),
      ...prefixNames('conv2', this.conv2.namedVariables()),
      ...prefixNames('bn2', this.bn2.namedVariables()),
    ];
    if (this.downsample !== null) {
      entries.push(...prefixNames('downsample', this.downsample.namedVariables()));
    }
    return entries;
  }

  traceShapes(inputShape: number[], trace: ShapeTrace, name: string): number[] {
    return trace.group(name, 'BasicBlock', () => {
      let shape = this.conv1.traceShapes(inputShape, trace, 'conv1');
      shape = this.bn1.traceShapes(shape, trace, 'bn1');
      shape = this.conv2.traceShapes(shape, trace, 'conv2');
      shape = this.bn2.traceShapes(shape, trace, 'bn2');
      this.downsample?.traceShapes(inputShape, trace, 'downsample');
      return shape;
    });
  }

  dispose(): void {
    for (const entry of this.namedVariables()) {
      entry.variable.dispose();
    }
  }
}
