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
import type { ShapeTrace, ShapeTraceable } from './summary';

/** One Linear layer of an {@link MlpHead} with what follows it. */
export interface MlpLayerSpec {
  outFeatures: number;
  /** Whether the Linear layer adds a bias; false where BatchNorm follows and makes it redundant. */
  bias: boolean;
  /** BatchNorm after the Linear layer, with its `center` option, or null for none. */
  batchNorm: { center: boolean } | null;
  /** Whether a ReLU follows. */
  relu: boolean;
}

interface MlpLayer {
  linear: Linear;
  batchNorm: BatchNorm | null;
  relu: boolean;
  /** Index of the Linear layer in the equivalent PyTorch `nn.Sequential`. */
  index: number;
}

/** Throws unless every entry of `dimensions` is a positive integer; `kind` names the head. */
export function checkDimensions(kind: string, dimensions: Record<string, number>): void {
  for (const [name, value] of Object.entries(dimensions)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`Invalid ${kind} ${name} ${value}: expected a positive integer.`);
    }
  }
}

/**
 * A stack of Linear layers, each optionally followed by BatchNorm and ReLU, the common form
 * of projection and prediction heads. Variables are named as in a PyTorch `nn.Sequential`
 * holding the same layers, where every Linear, BatchNorm1d and ReLU takes one index
 * (`0.weight`, `1.running_var`, `3.bias`, ...), so the weights load into such a module.
 */
export abstract class MlpHead implements Module, ShapeTraceable {
  /** Input features. */
  readonly inputDim: number;
  /** Output features. */
  readonly outputDim: number;
  private readonly layers: MlpLayer[];

  protected constructor(
    private readonly kind: string,
    inputDim: number,
    specs: MlpLayerSpec[],
    seed: number,
  ) {
    const seeds = new SeedSequence(seed);
    let inFeatures = inputDim;
    let index = 0;
    this.layers = specs.map((spec) => {
      const layer: MlpLayer = {
        linear: new Linear({
          inFeatures,
          outFeatures: spec.outFeatures,
          bias: spec.bias,
          seed: seeds.next(),
        }),
        batchNorm:
          spec.batchNorm === null
            ? null
            : new BatchNorm({ channels: spec.outFeatures, center: spec.batchNorm.center }),
        relu: spec.relu,
        index,
      };
      index += 1 + (spec.batchNorm === null ? 0 : 1) + (spec.relu ? 1 : 0);
      inFeatures = spec.outFeatures;
      return layer;
    });
    this.inputDim = inputDim;
    this.outputDim = inFeatures;
  }

  /** Maps features `[N, inputDim]` to `[N, outputDim]`. */
  apply(features: tf.Tensor2D, options: ApplyOptions): tf.Tensor2D {
    return tf.tidy(() => {
      let x = features;
      for (const { linear, batchNorm, relu } of this.layers) {
        x = linear.apply(x);
        if (batchNorm !== null) {
          x = relu ? batchNorm.applyRelu(x, options) : batchNorm.apply(x, options);
        } else if (relu) {
          x = tf.relu(x);
        }
      }
      return x;
    });
  }

  /** Number of trainable parameters. */
  parameterCount(): number {
    return countParameters(this);
  }

  namedVariables(): NamedVariable[] {
    return this.layers.flatMap(({ linear, batchNorm, index }) => [
      ...prefixNames(String(index), linear.namedVariables()),
      ...(batchNorm === null ? [] : prefixNames(String(index + 1), batchNorm.namedVariables())),
    ]);
  }

  traceShapes(inputShape: number[], trace: ShapeTrace, name: string): number[] {
    return trace.group(name, this.kind, () =>
      this.layers.reduce((shape, { linear, batchNorm, index }) => {
        const hidden = linear.traceShapes(shape, trace, String(index));
        return batchNorm === null
          ? hidden
          : batchNorm.traceShapes(hidden, trace, String(index + 1));
      }, inputShape),
    );
  }

  dispose(): void {
    for (const entry of this.namedVariables()) {
      entry.variable.dispose();
    }
  }
}
