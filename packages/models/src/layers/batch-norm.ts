import * as tf from '@tensorflow/tfjs-core';
import {
  countParameters,
  type ApplyOptions,
  type Module,
  type NamedVariable,
  type ReplicaGroup,
} from '../module';
import type { ShapeTrace, ShapeTraceable } from '../summary';

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
  /**
   * Whether training uses the fused kernels named in {@link FUSED_BATCH_NORM_KERNELS} when
   * the active backend has them and the channels are a multiple of 4. The result is the
   * same up to float rounding. Default true.
   */
  useFusedKernels?: boolean;
  /**
   * Whether the shift β is learned. With false, β stays 0 and is not trainable, as in the
   * last layer of SimCLR v2's projection head; it is still saved under `bias`. Default true.
   */
  center?: boolean;
}

/**
 * Names of the fused training kernels that BatchNorm looks up in tfjs's kernel registry.
 * `@simclr-ts/backends` registers them for wasm. Inputs are float32 `[rows, channels]`:
 * - `SimclrBatchNormMoments` {x} returns `[2, channels]`: the mean and Σ (x − mean)².
 * - `SimclrScaleShift` {x, scale, shift}, attribute relu: x · scale + shift, then ReLU.
 * - `SimclrBatchNormGradSums` {dy, x, mean, y with relu}: `[2, channels]`, Σ g and
 *   Σ g · (x − mean), where g is dy, or with relu dy where y > 0.
 * - `SimclrBatchNormGradInput` {dy, x, mean, k1, k2, k3, y with relu}:
 *   g · k1 + (x − mean) · k2 + k3.
 */
export const FUSED_BATCH_NORM_KERNELS = {
  moments: 'SimclrBatchNormMoments',
  scaleShift: 'SimclrScaleShift',
  gradSums: 'SimclrBatchNormGradSums',
  gradInput: 'SimclrBatchNormGradInput',
} as const;

/**
 * Batch normalisation over every axis but the last (Ioffe and Szegedy, 2015).
 * In training it normalises with the batch mean and biased batch variance and
 * updates the running mean and the unbiased running variance. In inference it
 * normalises with the running statistics. Names follow torchvision:
 * `weight`, `bias`, `running_mean`, `running_var`.
 */
export class BatchNorm implements Module, ShapeTraceable {
  readonly gamma: tf.Variable<tf.Rank.R1>;
  readonly beta: tf.Variable<tf.Rank.R1>;
  readonly runningMean: tf.Variable<tf.Rank.R1>;
  readonly runningVariance: tf.Variable<tf.Rank.R1>;
  readonly momentum: number;
  readonly epsilon: number;
  readonly useFusedKernels: boolean;

  constructor(config: BatchNormConfig) {
    const { channels } = config;
    this.momentum = config.momentum ?? 0.1;
    this.epsilon = config.epsilon ?? 1e-5;
    this.useFusedKernels = config.useFusedKernels ?? true;
    if (!(this.momentum > 0 && this.momentum <= 1)) {
      throw new Error(`Invalid BatchNorm momentum ${this.momentum}: expected a value in (0, 1].`);
    }
    // tidy() frees the initial values; variables outlive it.
    this.gamma = tf.tidy(() => tf.variable(tf.ones([channels])));
    this.beta = tf.tidy(() => tf.variable(tf.zeros([channels]), config.center ?? true));
    this.runningMean = tf.tidy(() => tf.variable(tf.zeros([channels]), false));
    this.runningVariance = tf.tidy(() => tf.variable(tf.ones([channels]), false));
  }

  /** Normalises `x` of shape `[..., channels]`; see the class comment for the two modes. */
  apply<T extends tf.Tensor>(x: T, options: ApplyOptions): T {
    return this.normalize(x, options, false);
  }

  /** Returns relu(apply(x)), in one pass over the data on backends with the fused kernels. */
  applyRelu<T extends tf.Tensor>(x: T, options: ApplyOptions): T {
    return this.normalize(x, options, true);
  }

  private normalize<T extends tf.Tensor>(x: T, options: ApplyOptions, relu: boolean): T {
    if (!options.training) {
      const y = tf.batchNorm(
        x,
        this.runningMean,
        this.runningVariance,
        this.beta,
        this.gamma,
        this.epsilon,
      );
      return (relu ? tf.relu(y) : y) as T;
    }
    const replicas =
      options.replicas !== undefined && options.replicas.size > 1 ? options.replicas : undefined;
    const channels = x.shape[x.rank - 1]!;
    if (this.useFusedKernels && hasFusedKernels(channels)) {
      return this.fusedTrainingForward(replicas, relu)(x, this.gamma, this.beta) as T;
    }
    const y = this.trainingForward(replicas)(x, this.gamma, this.beta);
    return (relu ? tf.relu(y) : y) as T;
  }

  /**
   * Training-mode forward pass with the closed-form backward pass of Ioffe
   * and Szegedy (2015, Section 3): with x̂ = (x − μ) / σ over M values per
   * channel, dβ = Σ dy, dγ = Σ dy·x̂ and dx = γ/σ · (dy − dβ/M − x̂·dγ/M).
   * tfjs's own gradient of `batchNorm` through `moments` costs several
   * times more (it tiles and reduces the full tensor repeatedly).
   *
   * With `replicas`, μ, σ and the sums dβ and dγ in dx run over the rows of
   * every replica, and M counts them all. The returned dγ and dβ are this
   * replica's share, which the caller sums across replicas with the other
   * gradients.
   */
  private trainingForward(replicas: ReplicaGroup | undefined) {
    // tfjs types the arguments as one union, so they are narrowed here.
    return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      const channels = x.shape[x.rank - 1]!;
      const rows = tf.reshape(x, [x.size / channels, channels]) as tf.Tensor2D;
      const { mean, variance, count, centered } =
        replicas === undefined ? localMoments(rows) : replicaMoments(rows, replicas);
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
        const dyRows = tf.reshape(dy, rows.shape) as tf.Tensor2D;
        const dBeta = sumRows(dyRows);
        const dGamma = sumRows(tf.mul(dyRows, xHat) as tf.Tensor2D);
        const [dBetaAll, dGammaAll] =
          replicas === undefined ? [dBeta, dGamma] : sumOverReplicas(dBeta, dGamma, replicas);
        const correction = tf.add(tf.div(dBetaAll, count), tf.mul(xHat, tf.div(dGammaAll, count)));
        const dx = tf.mul(tf.sub(dyRows, correction), tf.mul(scale, invStd));
        return [
          tf.reshape(dx, x.shape),
          tf.reshape(dGamma, [channels]),
          tf.reshape(dBeta, [channels]),
        ];
      };
      return { value, gradFunc };
    });
  }

  /**
   * Runs the training forward pass of {@link trainingForward} on the fused kernels, with
   * the ReLU optionally fused too. With a = γ/σ it computes y = x·a + (β − μ·a) in one pass
   * and, from dβ = Σ g and dγ = Σ g·(x − μ)/σ, the input gradient
   * dx = g·a + (x − μ)·(−a·dγ/(σM)) − a·dβ/M in one more, where g is the upstream gradient
   * masked by y > 0 when the ReLU is fused.
   */
  private fusedTrainingForward(replicas: ReplicaGroup | undefined, relu: boolean) {
    return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      const channels = x.shape[x.rank - 1]!;
      const rows = tf.reshape(x, [x.size / channels, channels]) as tf.Tensor2D;
      const { mean, variance, count } = fusedMoments(rows, replicas);
      const inverseStd = tf.rsqrt(tf.add(variance, this.epsilon));
      const scale = tf.mul(gamma, inverseStd);
      const shift = tf.sub(beta, tf.mul(mean, scale));
      const y = runKernel(FUSED_BATCH_NORM_KERNELS.scaleShift, { x: rows, scale, shift }, { relu });
      this.updateRunningStatistics(mean, variance, count);
      save([rows, y, mean, inverseStd, scale]);

      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedRows, output, savedMean, invStd, a] = saved as tf.Tensor[];
        const inputs: tf.NamedTensorMap = {
          dy: tf.reshape(dy, savedRows!.shape),
          x: savedRows!,
          mean: savedMean!,
          ...(relu ? { y: output! } : {}),
        };
        const sums = runKernel(FUSED_BATCH_NORM_KERNELS.gradSums, inputs, { relu });
        const [dBeta, centeredSum] = tf.split(sums, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
        const dGamma = tf.mul(centeredSum, invStd!) as tf.Tensor2D;
        const [dBetaAll, dGammaAll] =
          replicas === undefined ? [dBeta, dGamma] : sumOverReplicas(dBeta, dGamma, replicas);
        const k2 = tf.neg(tf.div(tf.mul(tf.mul(a!, invStd!), dGammaAll), count));
        const k3 = tf.neg(tf.div(tf.mul(a!, dBetaAll), count));
        const dx = runKernel(
          FUSED_BATCH_NORM_KERNELS.gradInput,
          { ...inputs, k1: a!, k2: tf.reshape(k2, [channels]), k3: tf.reshape(k3, [channels]) },
          { relu },
        );
        return [
          tf.reshape(dx, x.shape),
          tf.reshape(dGamma, [channels]),
          tf.reshape(dBeta, [channels]),
        ];
      };
      return { value: tf.reshape(y, x.shape), gradFunc };
    });
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

  /** Records one row; the output shape is the input shape. */
  traceShapes(inputShape: number[], trace: ShapeTrace, name: string): number[] {
    const channels = this.gamma.size;
    if (inputShape.length < 2 || inputShape[inputShape.length - 1] !== channels) {
      throw new Error(
        `Invalid input shape [${inputShape.join(', ')}] for BatchNorm '${name}': expected ${channels} channels on the last axis.`,
      );
    }
    return trace.layer(name, 'BatchNorm', inputShape, countParameters(this));
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

/** Batch mean and biased variance, `[1, C]` each, of `rows` `[M, C]`. */
interface Moments {
  mean: tf.Tensor2D;
  variance: tf.Tensor2D;
  /** M, the rows the moments cover. */
  count: number;
  /** `rows` minus `mean`. */
  centered: tf.Tensor2D;
}

function localMoments(rows: tf.Tensor2D): Moments {
  const count = rows.shape[0];
  const mean = tf.div(sumRows(rows), count) as tf.Tensor2D;
  const centered = tf.sub(rows, mean) as tf.Tensor2D;
  const variance = tf.div(sumRows(tf.square(centered)), count) as tf.Tensor2D;
  return { mean, variance, count, centered };
}

/** Moments over the rows of every replica, merged by {@link mergeMoments}. */
function replicaMoments(rows: tf.Tensor2D, replicas: ReplicaGroup): Moments {
  const [localCount, channels] = rows.shape;
  const local = localMoments(rows);
  const merged = mergeMoments(
    local.mean.dataSync() as Float32Array,
    tf.mul(local.variance, localCount).dataSync() as Float32Array,
    localCount,
    replicas,
  );
  const globalMean = tf.tensor2d(merged.mean, [1, channels]);
  return {
    mean: globalMean,
    variance: tf.tensor2d(merged.variance, [1, channels]),
    count: merged.count,
    centered: tf.sub(rows, globalMean) as tf.Tensor2D,
  };
}

/**
 * Merges the moments of every replica. Each replica shares its row count, mean and
 * sum of squared deviations M₂, and every replica merges them in rank order with the
 * pairwise formula of Chan, Golub and LeVeque (1979), in float64:
 * μ = Σ nᵣμᵣ / n and M₂ = Σ (M₂ᵣ + nᵣ(μᵣ − μ)²). This avoids the cancellation of
 * E[x²] − E[x]² in float32.
 */
function mergeMoments(
  localMean: Float32Array,
  localM2: Float32Array,
  localCount: number,
  replicas: ReplicaGroup,
): { mean: Float32Array; variance: Float32Array; count: number } {
  const channels = localMean.length;
  const shared = new Float32Array(2 * channels + 1);
  shared.set(localMean);
  shared.set(localM2, channels);
  shared[2 * channels] = localCount;

  const parts = replicas.allGather(shared);
  const count = parts.reduce((total, part) => total + part[2 * channels]!, 0);
  const mean = new Float64Array(channels);
  for (const part of parts) {
    const share = part[2 * channels]! / count;
    for (let c = 0; c < channels; c++) {
      mean[c] = mean[c]! + share * part[c]!;
    }
  }
  const variance = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let squares = 0;
    for (const part of parts) {
      const offset = part[c]! - mean[c]!;
      squares += part[channels + c]! + part[2 * channels]! * offset * offset;
    }
    variance[c] = squares / count;
  }
  return { mean: Float32Array.from(mean), variance, count };
}

/** Mean and biased variance `[channels]` of `rows` over every replica, from the fused kernel. */
function fusedMoments(
  rows: tf.Tensor2D,
  replicas: ReplicaGroup | undefined,
): { mean: tf.Tensor1D; variance: tf.Tensor1D; count: number } {
  const [localCount, channels] = rows.shape;
  const moments = runKernel(FUSED_BATCH_NORM_KERNELS.moments, { x: rows });
  if (replicas === undefined) {
    const [mean, m2] = tf.unstack(moments) as [tf.Tensor1D, tf.Tensor1D];
    return { mean, variance: tf.div(m2, localCount), count: localCount };
  }
  const values = moments.dataSync() as Float32Array;
  const merged = mergeMoments(
    values.subarray(0, channels),
    values.subarray(channels),
    localCount,
    replicas,
  );
  return {
    mean: tf.tensor1d(merged.mean),
    variance: tf.tensor1d(merged.variance),
    count: merged.count,
  };
}

/** Returns whether the active backend has every fused kernel, which need channels in fours. */
function hasFusedKernels(channels: number): boolean {
  if (channels % 4 !== 0) {
    return false;
  }
  const backend = tf.getBackend();
  return Object.values(FUSED_BATCH_NORM_KERNELS).every(
    (name) => tf.getKernel(name, backend) !== undefined,
  );
}

function runKernel(
  name: string,
  inputs: tf.NamedTensorMap,
  attrs: tf.NamedAttrMap = {},
): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs) as tf.Tensor;
}

/** Sums two `[1, C]` tensors over the replicas with one collective call. */
function sumOverReplicas(
  first: tf.Tensor2D,
  second: tf.Tensor2D,
  replicas: ReplicaGroup,
): [tf.Tensor2D, tf.Tensor2D] {
  const channels = first.shape[1];
  const local = new Float32Array(2 * channels);
  local.set(first.dataSync());
  local.set(second.dataSync(), channels);
  const summed = replicas.allReduceSum(local);
  return [
    tf.tensor2d(summed.slice(0, channels), [1, channels]),
    tf.tensor2d(summed.slice(channels), [1, channels]),
  ];
}
