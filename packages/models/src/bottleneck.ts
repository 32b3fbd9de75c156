import * as tf from '@tensorflow/tfjs-core';
import { Downsample } from './downsample';
import type { SeedSequence } from './init';
import { BatchNorm } from './layers/batch-norm';
import { Conv2d } from './layers/conv2d';
import { prefixNames, type ApplyOptions, type Module, type NamedVariable } from './module';
import { BLOCK_EXPANSION } from './presets';
import type { ShapeTrace, ShapeTraceable } from './summary';

/**
 * The bottleneck residual block of ResNet-50 and deeper (He et al., 2016, Fig. 5): a 1×1
 * convolution to `width` channels, a 3×3 convolution, and a 1×1 convolution to
 * 4 · `width` channels, each with BatchNorm, plus a projection shortcut when the stride or
 * the width changes.
 *
 * Porting note: the stride sits on the 3×3 convolution, as in torchvision 0.14 ("ResNet
 * v1.5"), not on the first 1×1 convolution as in the paper, so that torchvision's weights
 * load unchanged.
 */
export class Bottleneck implements Module, ShapeTraceable {
  /** Output channels, 4 · width. */
  readonly outChannels: number;
  private readonly conv1: Conv2d;
  private readonly bn1: BatchNorm;
  private readonly conv2: Conv2d;
  private readonly bn2: BatchNorm;
  private readonly conv3: Conv2d;
  private readonly bn3: BatchNorm;
  private readonly downsample: Downsample | null;

  constructor(inChannels: number, width: number, stride: number, seeds: SeedSequence) {
    this.outChannels = width * BLOCK_EXPANSION.bottleneck;
    this.conv1 = new Conv2d({
      inChannels,
      outChannels: width,
      kernelSize: 1,
      stride: 1,
      seed: seeds.next(),
    });
    this.bn1 = new BatchNorm({ channels: width });
    this.conv2 = new Conv2d({
      inChannels: width,
      outChannels: width,
      kernelSize: 3,
      stride,
      seed: seeds.next(),
    });
    this.bn2 = new BatchNorm({ channels: width });
    this.conv3 = new Conv2d({
      inChannels: width,
      outChannels: this.outChannels,
      kernelSize: 1,
      stride: 1,
      seed: seeds.next(),
    });
    this.bn3 = new BatchNorm({ channels: this.outChannels });
    this.downsample = Downsample.ifNeeded(inChannels, this.outChannels, stride, seeds);
  }

  /** Maps `[N, H, W, in]` to `[N, H / stride, W / stride, 4 · width]`. */
  apply(x: tf.Tensor4D, options: ApplyOptions): tf.Tensor4D {
    let hidden = this.bn1.applyRelu(this.conv1.apply(x), options);
    hidden = this.bn2.applyRelu(this.conv2.apply(hidden), options);
    const residual = this.bn3.apply(this.conv3.apply(hidden), options);
    const shortcut = this.downsample === null ? x : this.downsample.apply(x, options);
    return tf.relu(tf.add(residual, shortcut)) as tf.Tensor4D;
  }

  namedVariables(): NamedVariable[] {
    const entries = [
      ...prefixNames('conv1', this.conv1.namedVariables()),
      ...prefixNames('bn1', this.bn1.namedVariables()),
      ...prefixNames('conv2', this.conv2.namedVariables()),
      ...prefixNames('bn2', this.bn2.namedVariables()),
      ...prefixNames('conv3', this.conv3.namedVariables()),
      ...prefixNames('bn3', this.bn3.namedVariables()),
    ];
    if (this.downsample !== null) {
      entries.push(...prefixNames('downsample', this.downsample.namedVariables()));
    }
    return entries;
  }

  traceShapes(inputShape: number[], trace: ShapeTrace, name: string): number[] {
    return trace.group(name, 'Bottleneck', () => {
      let shape = this.conv1.traceShapes(inputShape, trace, 'conv1');
      shape = this.bn1.traceShapes(shape, trace, 'bn1');
      shape = this.conv2.traceShapes(shape, trace, 'conv2');
      shape = this.bn2.traceShapes(shape, trace, 'bn2');
      shape = this.conv3.traceShapes(shape, trace, 'conv3');
      shape = this.bn3.traceShapes(shape, trace, 'bn3');
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
