import * as tf from '@tensorflow/tfjs-core';
import { SeedSequence } from './init';
import { BatchNorm } from './layers/batch-norm';
import { Linear } from './layers/linear';
import {
  countParameters,
  prefixNames,
  type ApplyOptions,
  type Module,
  type NamedVariable,
} from './module';

/** Configuration of {@link ProjectionHead}. */
export interface ProjectionHeadConfig {
  /** Input features, the encoder's feature length. */
  inputDim: number;
  /** Hidden width. Default: `inputDim`, as SimCLR uses. */
  hiddenDim?: number;
  /** Output (embedding) length. Default 128, as SimCLR uses. */
  outputDim?: number;
  /** Seed of the initialisation. Default 0. */
  seed?: number;
}

/**
 * SimCLR's projection head g(·) (Chen et al., 2020, Section 2.1): Linear,
 * BatchNorm, ReLU, Linear. The first Linear has no bias since BatchNorm
 * follows it. The contrastive loss is computed on its output, and the encoder
 * features before it are what downstream tasks use.
 */
export class ProjectionHead implements Module {
  readonly outputDim: number;
  private readonly fc1: Linear;
  private readonly bn: BatchNorm;
  private readonly fc2: Linear;

  constructor(config: ProjectionHeadConfig) {
    const hiddenDim = config.hiddenDim ?? config.inputDim;
    this.outputDim = config.outputDim ?? 128;
    const seeds = new SeedSequence(config.seed ?? 0);
    this.fc1 = new Linear({
      inFeatures: config.inputDim,
      outFeatures: hiddenDim,
      bias: false,
      seed: seeds.next(),
    });
    this.bn = new BatchNorm({ channels: hiddenDim });
    this.fc2 = new Linear({
      inFeatures: hiddenDim,
      outFeatures: this.outputDim,
      seed: seeds.next(),
    });
  }

  /** Projects features `[N, inputDim]` to embeddings `[N, outputDim]`. */
  apply(features: tf.Tensor2D, options: ApplyOptions): tf.Tensor2D {
    return tf.tidy(() => this.fc2.apply(this.bn.applyRelu(this.fc1.apply(features), options)));
  }

  /** Number of trainable parameters. */
  parameterCount(): number {
    return countParameters(this);
  }

  namedVariables(): NamedVariable[] {
    return [
      ...prefixNames('0', this.fc1.namedVariables()),
      ...prefixNames('1', this.bn.namedVariables()),
      ...prefixNames('3', this.fc2.namedVariables()),
    ];
  }

  dispose(): void {
    for (const entry of this.namedVariables()) {
      entry.variable.dispose();
    }
  }
}
