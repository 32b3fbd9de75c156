import * as tf from '@tensorflow/tfjs-core';
import { Linear } from './layers/linear';
import { checkDimensions } from './mlp-head';
import { countParameters, type Module, type NamedVariable } from './module';
import type { ShapeTrace, ShapeTraceable } from './summary';

/** Configuration of {@link LinearClassifier}. */
export interface LinearClassifierConfig {
  /** Input features, the encoder's feature length. */
  inputDim: number;
  /** Number of classes, the length of the logits. */
  numClasses: number;
  /** Seed of the initialisation. Default 0. */
  seed?: number;
}

/**
 * A linear classifier on frozen or fine-tuned features: logits = x W + b, initialised like
 * PyTorch's `nn.Linear`. Its variables are `weight` and `bias`, so with the prefix `fc.`
 * they are the `fc` layer of torchvision's ResNets.
 */
export class LinearClassifier implements Module, ShapeTraceable {
  readonly inputDim: number;
  readonly numClasses: number;
  private readonly linear: Linear;

  constructor(config: LinearClassifierConfig) {
    const { inputDim, numClasses } = config;
    checkDimensions('LinearClassifier', { inputDim, numClasses });
    this.inputDim = inputDim;
    this.numClasses = numClasses;
    this.linear = new Linear({
      inFeatures: inputDim,
      outFeatures: numClasses,
      seed: config.seed ?? 0,
    });
  }

  /** Maps features `[N, inputDim]` to logits `[N, numClasses]`. */
  apply(features: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.linear.apply(features));
  }

  /** Number of trainable parameters. */
  parameterCount(): number {
    return countParameters(this);
  }

  namedVariables(): NamedVariable[] {
    return this.linear.namedVariables();
  }

  traceShapes(inputShape: number[], trace: ShapeTrace, name: string): number[] {
    return this.linear.traceShapes(inputShape, trace, name === '' ? 'fc' : name);
  }

  dispose(): void {
    this.linear.dispose();
  }
}
