import * as tf from '@tensorflow/tfjs-core';
import { BasicBlock } from './basic-block';
import { Bottleneck } from './bottleneck';
import { SeedSequence } from './init';
import { BatchNorm } from './layers/batch-norm';
import { Conv2d } from './layers/conv2d';
import { MaxPool2d } from './layers/max-pool';
import {
  countParameters,
  prefixNames,
  type ApplyOptions,
  type Module,
  type NamedVariable,
} from './module';
import {
  BLOCK_EXPANSION,
  resolveResNetConfig,
  type EncoderPreset,
  type ResNetConfig,
  type ResNetOverrides,
  type ResolvedResNetConfig,
} from './presets';
import type { ShapeTrace, ShapeTraceable } from './summary';

/** Options of {@link createResNetEncoder}. */
export interface ResNetEncoderOptions extends ResNetOverrides {
  /** Seed of the weight initialisation. Default 0. */
  seed?: number;
  /** Input channels. Default 3. */
  inChannels?: number;
}

type ResidualBlock = BasicBlock | Bottleneck;

/**
 * A ResNet encoder (He et al., 2016) without classifier. A CIFAR or ImageNet
 * stem is followed by stages of basic or bottleneck blocks, with stride 2 at
 * the start of every stage after the first, and by global average pooling. Variable names follow
 * torchvision (`conv1`, `bn1`, `layer1.0.conv1`, ...), so the weights map
 * one to one onto torchvision's `resnet18`, `resnet34` and `resnet50` with
 * `fc` removed, and with the CIFAR stem swapped in when `stem` is `cifar`.
 */
export class ResNetEncoder implements Module, ShapeTraceable {
  readonly config: ResolvedResNetConfig;
  /** Length of the feature vector, the output channels of the last stage. */
  readonly featureDim: number;
  private readonly stem: { conv: Conv2d; bn: BatchNorm; maxPool: MaxPool2d | null };
  private readonly stages: ResidualBlock[][];

  constructor(config: EncoderPreset | ResNetConfig, options: ResNetEncoderOptions = {}) {
    this.config = resolveResNetConfig(config, options);
    const inChannels = options.inChannels ?? 3;
    if (!Number.isInteger(inChannels) || inChannels < 1) {
      throw new Error(`Invalid input channels ${inChannels}: expected a positive integer.`);
    }
    const seeds = new SeedSequence(options.seed ?? 0);
    const { stemWidth, widths, blocks, block, stem } = this.config;
    const imagenetStem = stem === 'imagenet';
    this.stem = {
      conv: new Conv2d({
        inChannels,
        outChannels: stemWidth,
        kernelSize: imagenetStem ? 7 : 3,
        stride: imagenetStem ? 2 : 1,
        seed: seeds.next(),
      }),
      bn: new BatchNorm({ channels: stemWidth }),
      maxPool: imagenetStem ? new MaxPool2d({ kernelSize: 3, stride: 2, padding: 1 }) : null,
    };
    let channels = stemWidth;
    this.stages = widths.map((width, stage) =>
      Array.from({ length: blocks[stage]! }, (_, index) => {
        const stride = stage > 0 && index === 0 ? 2 : 1;
        const residualBlock =
          block === 'bottleneck'
            ? new Bottleneck(channels, width, stride, seeds)
            : new BasicBlock(channels, width, stride, seeds);
        channels = width * BLOCK_EXPANSION[block];
        return residualBlock;
      }),
    );
    this.featureDim = channels;
  }

  /** Encodes images `[N, H, W, C]` into features `[N, featureDim]` (after ReLU, so non-negative). */
  apply(images: tf.Tensor4D, options: ApplyOptions): tf.Tensor2D {
    return tf.tidy(() => {
      let x = this.stem.bn.applyRelu(this.stem.conv.apply(images), options);
      if (this.stem.maxPool !== null) {
        x = this.stem.maxPool.apply(x);
      }
      for (const stage of this.stages) {
        for (const block of stage) {
          x = block.apply(x, options);
        }
      }
      return tf.mean(x, [1, 2]) as tf.Tensor2D;
    });
  }

  /** Number of trainable parameters. */
  parameterCount(): number {
    return countParameters(this);
  }

  namedVariables(): NamedVariable[] {
    const entries = [
      ...prefixNames('conv1', this.stem.conv.namedVariables()),
      ...prefixNames('bn1', this.stem.bn.namedVariables()),
    ];
    this.stages.forEach((stage, stageIndex) => {
      stage.forEach((block, blockIndex) => {
        entries.push(
          ...prefixNames(`layer${stageIndex + 1}.${blockIndex}`, block.namedVariables()),
        );
      });
    });
    return entries;
  }

  /** Records the stem, every block and the pooling, for `modelSummary`. */
  traceShapes(inputShape: number[], trace: ShapeTrace, name: string): number[] {
    return trace.group(name, 'ResNetEncoder', () => {
      let shape = this.stem.conv.traceShapes(inputShape, trace, 'conv1');
      shape = this.stem.bn.traceShapes(shape, trace, 'bn1');
      if (this.stem.maxPool !== null) {
        shape = this.stem.maxPool.traceShapes(shape, trace, 'maxpool');
      }
      this.stages.forEach((stage, stageIndex) => {
        shape = trace.group(`layer${stageIndex + 1}`, 'Sequential', () =>
          stage.reduce(
            (blockInput, residualBlock, blockIndex) =>
              residualBlock.traceShapes(blockInput, trace, String(blockIndex)),
            shape,
          ),
        );
      });
      return trace.layer('avgpool', 'GlobalAvgPool', [shape[0]!, shape[3]!]);
    });
  }

  dispose(): void {
    for (const entry of this.namedVariables()) {
      entry.variable.dispose();
    }
  }
}

/**
 * Creates a {@link ResNetEncoder} from a preset name or a configuration; `options.stem` and
 * `options.widthMultiplier` replace the configuration's, so
 * `createResNetEncoder('resnet50', { stem: 'imagenet' })` is torchvision's ResNet-50
 * without its classifier.
 */
export function createResNetEncoder(
  config: EncoderPreset | ResNetConfig,
  options: ResNetEncoderOptions = {},
): ResNetEncoder {
  return new ResNetEncoder(config, options);
}
