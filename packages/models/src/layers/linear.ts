import * as tf from '@tensorflow/tfjs-core';
import { uniformFanIn } from '../init';
import { countParameters, type Module, type NamedVariable } from '../module';
import { checkTracedShape, type ShapeTrace, type ShapeTraceable } from '../summary';

/** Configuration of a fully connected layer. */
export interface LinearConfig {
  inFeatures: number;
  outFeatures: number;
  /** Adds a bias vector. Default true. */
  bias?: boolean;
  /** Seed of the initialisation. */
  seed: number;
}

/**
 * A fully connected layer `y = x W + b` with `W` of shape `[inFeatures,
 * outFeatures]`, initialised like PyTorch's `nn.Linear` (uniform in
 * ±1/sqrt(inFeatures)).
 */
export class Linear implements Module, ShapeTraceable {
  readonly weight: tf.Variable<tf.Rank.R2>;
  readonly bias: tf.Variable<tf.Rank.R1> | null;

  constructor(readonly config: LinearConfig) {
    const { inFeatures, outFeatures, seed } = config;
    this.weight = tf.tidy(() =>
      tf.variable(uniformFanIn<tf.Rank.R2>([inFeatures, outFeatures], inFeatures, seed)),
    );
    this.bias =
      config.bias === false
        ? null
        : tf.tidy(() => tf.variable(uniformFanIn<tf.Rank.R1>([outFeatures], inFeatures, seed + 1)));
  }

  /** Maps `x` `[N, inFeatures]` to `[N, outFeatures]`. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    const product = tf.matMul(x, this.weight) as tf.Tensor2D;
    return this.bias === null ? product : (tf.add(product, this.bias) as tf.Tensor2D);
  }

  namedVariables(): NamedVariable[] {
    const entries: NamedVariable[] = [{ name: 'weight', variable: this.weight }];
    if (this.bias !== null) {
      entries.push({ name: 'bias', variable: this.bias });
    }
    return entries;
  }

  traceShapes(inputShape: number[], trace: ShapeTrace, name: string): number[] {
    const { inFeatures, outFeatures } = this.config;
    checkTracedShape(`Linear '${name}'`, inputShape, 2, inFeatures);
    const multAdds = inputShape[0]! * this.weight.size;
    return trace.layer(
      name,
      'Linear',
      [inputShape[0]!, outFeatures],
      countParameters(this),
      multAdds,
    );
  }

  dispose(): void {
    this.weight.dispose();
    this.bias?.dispose();
  }
}
