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
 * updates the running mean and the unbiased running variance. In inference it
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
    return this.normalizeWithBatchStatistics(x, this.gamma, this.beta) as T;
  }

  /**
   * Training-mode forward pass with the closed-form backward pass of Ioffe
   * and Szegedy (2015, Section 3): with x̂ = (x − μ) / σ over M values per
   * channel, dβ = Σ dy, dγ = Σ dy·x̂ and dx = γ/σ · (dy − dβ/M − x̂·dγ/M).
   * tfjs's own gradient of `batchNorm` through `moments` costs several
   * times more (it tiles and reduces the full tensor repeatedly).
   */
  private readonly normalizeWithBatchStatistics = tf.customGrad(
    // tfjs types the arguments as one union, so they are narrowed here.
    (...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      const channels = x.shape[x.rank - 1]!;
      const count = x.size / channels;
      const rows = tf.reshape(x, [count, channels]);
      const mean = tf.div(sumRows(rows), count);
      const centered = tf.sub(rows, mean);
      const variance = tf.div(sumRows(tf.square(centered)), count);
      const inverseStd = tf.rsqrt(tf.add(variance, this.epsilon));
      const normalized = tf.mul(centered, inverseStd);
      this.updateRunningStatistics(
        tf.reshape(mean, [channels]),
        tf.reshape(variance, [channels]),
        count,
      );
      save([normalized, inverseStd, gamma]);

      const value = tf.reshape(tf.add(tf.mul(normalized, gamma), beta), x.shape);
      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xHat, invStd, scale] = saved as [tf.Tensor2D, tf.Tensor, tf.Tensor];
        const dyRows = tf.reshape(dy, [count, channels]) as tf.Tensor2D;
        const dBeta = sumRows(dyRows);
        const dGamma = sumRows(tf.mul(dyRows, xHat) as tf.Tensor2D);
        const correction = tf.add(tf.div(dBeta, count), tf.mul(xHat, tf.div(dGamma, count)));
        const dx = tf.mul(tf.sub(dyRows, correction), tf.mul(scale, invStd));
        return [
          tf.reshape(dx, x.shape),
          tf.reshape(dGamma, [channels]),
          tf.reshape(dBeta, [channels]),
        ];
      };
      return { value, gradFunc };
    },
  );

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

/**
 * Sums the rows of `x` `[M, C]` into `[1, C]`. A matrix product with a row
 * of ones runs on the fast matrix kernels of every backend, while a
 * reduction over the leading axis makes wasm transpose the whole tensor.
 */
function sumRows(x: tf.Tensor2D | tf.Tensor): tf.Tensor2D {
  return tf.matMul(tf.ones([1, x.shape[0]!]), x as tf.Tensor2D);
}
