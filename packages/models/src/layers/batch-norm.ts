import * as tf from '@tensorflow/tfjs-core';
import type { ApplyOptions, Module, NamedVariable } from '../module';

/** Configuration of a BatchNorm layer. */
export interface BatchNormConfig {
  /** Number of channels, the last axis of the input. */
  channels: number;
  /**
   * Weight of the current batch in the running statistics, PyTorch's
   * convention: running = (1 - momentum) * running + momentum * batch.
   * Default 0.1 (PyTorch's default; Keras's `momentum=0.99` is 1 - 0.01 in
   * this convention).
   */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-5, as in PyTorch. */
  epsilon?: number;
}

/**
 * Batch normalisation over every axis but the last (Ioffe and Szegedy, 2015).
 * In training it normalises with the batch mean and biased batch variance and
 * updates the running mean and the unbiased running variance; in inference it
 * normalises with the running statistics. Names follow torchvision:
 * `weight`, `bias`, `running_mean`, `running_var`.
 */
export class BatchNorm implements Module {
  readonly gamma: tf.Variable<tf.Rank.R1>;
  readonly beta: tf.Variable<tf.Rank.R1>;
  readonly runningMean: tf.Variable<tf.Rank.R1>;
  readonly runningVariance: tf.Variable<tf.Rank.R1>;
  readonly momentum: number;
  readonly epsilon: number;

  constructor(config: BatchNormConfig) {
    const { channels } = config;
    this.momentum = config.momentum ?? 0.1;
    this.epsilon = config.epsilon ?? 1e-5;
    if (!(this.momentum > 0 && this.momentum <= 1)) {
      throw new Error(`Invalid BatchNorm momentum ${this.momentum}: expected a value in (0, 1].`);
    }
    // tidy() frees the initial values; variables outlive it.
    this.gamma = tf.tidy(() => tf.variable(tf.ones([channels])));
    this.beta = tf.tidy(() => tf.variable(tf.zeros([channels])));
    this.runningMean = tf.tidy(() => tf.variable(tf.zeros([channels]), false));
    this.runningVariance = tf.tidy(() => tf.variable(tf.ones([channels]), false));
  }

  /** Normalises `x` of shape `[..., channels]`; see the class comment for the two modes. */
  apply<T extends tf.Tensor>(x: T, options: ApplyOptions): T {
    if (!options.training) {
      return tf.batchNorm(
        x,
        this.runningMean,
        this.runningVariance,
        this.beta,
        this.gamma,
        this.epsilon,
      ) as T;
    }
    const axes = Array.from({ length: x.rank - 1 }, (_, axis) => axis);
    const { mean, variance } = tf.moments(x, axes);
    this.updateRunningStatistics(
      mean as tf.Tensor1D,
      variance as tf.Tensor1D,
      x.size / x.shape[x.rank - 1]!,
    );
    return tf.batchNorm(x, mean, variance, this.beta, this.gamma, this.epsilon) as T;
  }

  // No gradient flows into the running statistics: they do not feed the output.
  private updateRunningStatistics(mean: tf.Tensor1D, variance: tf.Tensor1D, count: number): void {
    tf.tidy(() => {
      const m = this.momentum;
      const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - m), tf.mul(mean, m)));
      this.runningVariance.assign(tf.add(tf.mul(this.runningVariance, 1 - m), tf.mul(unbiased, m)));
    });
  }

  namedVariables(): NamedVariable[] {
    return [
      { name: 'weight', variable: this.gamma },
      { name: 'bias', variable: this.beta },
      { name: 'running_mean', variable: this.runningMean },
      { name: 'running_var', variable: this.runningVariance },
    ];
  }

  dispose(): void {
    for (const entry of this.namedVariables()) {
      entry.variable.dispose();
    }
  }
}
