import * as tf from '@tensorflow/tfjs-core';
import { BasicBlock } from './basic-block';
import { SeedSequence } from './init';
import { BatchNorm } from './layers/batch-norm';
import { Conv2d } from './layers/conv2d';
import {
  countParameters,
  prefixNames,
  type ApplyOptions,
  type Module,
  type NamedVariable,
} from './module';
import { resolveResNetConfig, type EncoderPreset, type ResNetConfig } from './presets';

/** Options of {@link createResNetEncoder}. */
export interface ResNetEncoderOptions {
  /** Seed of the weight initialisation. Default 0. */
  seed?: number;
  /** Input channels. Default 3. */
  inChannels?: number;
}

/**
 * A CIFAR-style ResNet encoder: a 3×3 stride-1 stem with BatchNorm and ReLU,
 * no max-pool, stages of basic blocks (stride 2 at the start of every stage
 * after the first), and global average pooling. Variable names follow
 * torchvision (`conv1`, `bn1`, `layer1.0.conv1`, ...).
 */
export class ResNetEncoder implements Module {
  readonly config: ResNetConfig;
  /** Length of the feature vector, the width of the last stage. */
  readonly featureDim: number;
  private readonly stem: { conv: Conv2d; bn: BatchNorm };
  private readonly stages: BasicBlock[][];

  constructor(config: EncoderPreset | ResNetConfig, options: ResNetEncoderOptions = {}) {
    this.config = resolveResNetConfig(config);
    const seeds = new SeedSequence(options.seed ?? 0);
    const { stemWidth, widths, blocks } = this.config;
    this.stem = {
      conv: new Conv2d({
        inChannels: options.inChannels ?? 3,
        outChannels: stemWidth,
        kernelSize: 3,
        stride: 1,
        seed: seeds.next(),
      }),
      bn: new BatchNorm({ channels: stemWidth }),
    };
    let channels = stemWidth;
    this.stages = widths.map((width, stage) =>
      Array.from({ length: blocks[stage]! }, (_, index) => {
        const stride = stage > 0 && index === 0 ? 2 : 1;
        const block = new BasicBlock(channels, width, stride, seeds);
        channels = width;
        return block;
      }),
    );
    this.featureDim = channels;
  }

  /** Encodes images `[N, H, W, C]` into features `[N, featureDim]` (after ReLU, so non-negative). */
  apply(images: tf.Tensor4D, options: ApplyOptions): tf.Tensor2D {
    return tf.tidy(() => {
      let x = this.stem.bn.applyRelu(this.stem.conv.apply(images), options);
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

  dispose(): void {
    for (const entry of this.namedVariables()) {
      entry.variable.dispose();
    }
  }
}

/** Creates a {@link ResNetEncoder} from a preset name or a configuration. */
export function createResNetEncoder(
  config: EncoderPreset | ResNetConfig,
  options: ResNetEncoderOptions = {},
): ResNetEncoder {
  return new ResNetEncoder(config, options);
}
