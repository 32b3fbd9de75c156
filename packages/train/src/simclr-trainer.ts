import * as tf from '@tensorflow/tfjs-core';
import {
  applySimclrParams,
  createRng,
  drawSimclrParams,
  type Rng,
  type SimclrAugmentOptions,
  type SimclrParams,
} from '@simclr-ts/augment';
import { ntXentLoss } from '@simclr-ts/contrastive-losses';
import {
  trainableVariables,
  type ApplyOptions,
  type Module,
  type NamedVariable,
  type ReplicaGroup,
} from '@simclr-ts/models';
import { createOptimizer, setLearningRate, type OptimizerName } from './optimizer';

/** An encoder or head as the trainer uses it. */
export interface TrainableModule extends Module {
  apply(x: tf.Tensor, options: ApplyOptions): tf.Tensor2D;
}

/** Options of {@link SimclrTrainer}. */
export interface SimclrTrainerOptions {
  /** Maps images `[N, H, W, C]` to features `[N, D]`. */
  encoder: TrainableModule;
  /** Maps features to the embeddings the loss compares, `[N, D']`. */
  head: TrainableModule;
  /** Peak learning rate. */
  learningRate: number;
  /** Optimizer. Default 'adam'. */
  optimizer?: OptimizerName;
  /**
   * Weight decay λ of convolution and linear weights; BatchNorm parameters and biases
   * (the variables of rank 1) never decay. Default 0. How it applies depends on the
   * optimizer:
   * - 'adamw': decoupled (Loshchilov and Hutter, 2019), w ← w·(1 − lr·λ) after the update;
   * - 'adam' and 'sgd': L2, λ·w added to the gradient, as PyTorch's `weight_decay`;
   * - 'lars': L2 inside LARS, before the trust ratio, as SimCLR does.
   */
  weightDecay?: number;
  /** LARS's trust coefficient η. Default 0.001, SimCLR's value. */
  trustCoefficient?: number;
  /** NT-Xent temperature τ. Default 0.5, SimCLR's choice for CIFAR-10. */
  temperature?: number;
  /** Options of the view generator. */
  augment?: SimclrAugmentOptions;
  /** Seed of the augmentation and shuffling streams. Default 0. */
  seed?: number;
  /**
   * Replicas of a data-parallel step, one trainer each, every one holding the same
   * weights and a share of each batch. The trainers then exchange embeddings so that
   * NT-Xent compares every pair of the whole batch, synchronise BatchNorm statistics, and
   * sum their gradients before identical updates, so the step equals a single trainer's
   * on the whole batch up to float rounding. Default: none, a single trainer.
   */
  replicas?: ReplicaGroup;
}

/** Raised when the loss becomes NaN or infinite; the weights then hold the last finite step's values. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly step: number,
    readonly loss: number,
  ) {
    super(
      `The loss became ${loss} at step ${step}. Lower the learning rate or raise the temperature, then resume from the last checkpoint.`,
    );
    this.name = 'NonFiniteLossError';
  }
}

/**
 * One SimCLR training step at a time (Chen et al., 2020, Algorithm 1): two
 * augmented views of every image, both encoded in one batch so BatchNorm sees
 * 2N images, projected by the head, compared with NT-Xent, and one optimizer
 * update of the encoder and head.
 */
export class SimclrTrainer {
  readonly encoder: TrainableModule;
  readonly head: TrainableModule;
  readonly optimizer: tf.Optimizer;
  readonly temperature: number;
  readonly weightDecay: number;
  /** Stream of the augmentation parameters. */
  readonly augmentRng: Rng;
  /** Stream of the epoch permutations. */
  readonly shuffleRng: Rng;
  /** Number of updates done so far. */
  stepCount = 0;
  private readonly variables: tf.Variable[];
  private readonly decayed: tf.Variable[];
  private readonly augmentOptions: SimclrAugmentOptions;
  private readonly replicas: ReplicaGroup | undefined;
  private readonly optimizerName: OptimizerName;
  private learningRate: number;

  constructor(options: SimclrTrainerOptions) {
    this.encoder = options.encoder;
    this.head = options.head;
    this.learningRate = options.learningRate;
    this.temperature = options.temperature ?? 0.5;
    this.weightDecay = options.weightDecay ?? 0;
    if (!(this.weightDecay >= 0)) {
      throw new Error(`Invalid weight decay ${this.weightDecay}: expected a number of at least 0.`);
    }
    this.optimizerName = options.optimizer ?? 'adam';
    this.optimizer = createOptimizer(this.optimizerName, options.learningRate, {
      weightDecay: this.weightDecay,
      trustCoefficient: options.trustCoefficient,
    });
    this.augmentOptions = options.augment ?? {};
    this.replicas = options.replicas;
    const root = createRng(options.seed ?? 0);
    this.augmentRng = root.split();
    this.shuffleRng = root.split();
    this.variables = [...trainableVariables(this.encoder), ...trainableVariables(this.head)];
    this.decayed = this.variables.filter((variable) => variable.rank > 1);
  }

  /** Sets the learning rate of the next updates. */
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
    setLearningRate(this.optimizer, learningRate);
  }

  /**
   * Runs one step on `images` `[N, H, W, C]` in [0, 1], N ≥ 2, and returns the
   * loss. Throws {@link NonFiniteLossError} before updating when the loss is
   * not finite.
   */
  async step(images: tf.Tensor4D): Promise<number> {
    if (images.shape[0] < 2 && this.replicas === undefined) {
      throw new Error(
        `Invalid batch of ${images.shape[0]} images: a SimCLR step needs at least 2.`,
      );
    }
    const first = drawSimclrParams(images.shape, this.augmentRng, this.augmentOptions);
    const second = drawSimclrParams(images.shape, this.augmentRng, this.augmentOptions);
    return this.stepWithParams(images, [first, second]);
  }

  /**
   * Runs one step like {@link step}, with the augmentation parameters of both views
   * given instead of drawn from {@link augmentRng}. With replicas, `images` and
   * `viewParams` are this replica's share of the batch, at least one image.
   */
  async stepWithParams(
    images: tf.Tensor4D,
    viewParams: readonly [SimclrParams, SimclrParams],
  ): Promise<number> {
    const views = tf.tidy(() =>
      tf.concat(
        [applySimclrParams(images, viewParams[0]), applySimclrParams(images, viewParams[1])],
        0,
      ),
    );
    const applyOptions: ApplyOptions = { training: true, replicas: this.replicas };

    const { value, grads } = tf.variableGrads(() => {
      const features = this.encoder.apply(views, applyOptions);
      const embeddings = this.head.apply(features, applyOptions);
      const [z1, z2] = this.pairEmbeddings(embeddings);
      return ntXentLoss(z1, z2, { temperature: this.temperature });
    }, this.variables);
    views.dispose();

    // With replicas every trainer computes the same loss, so all of them stop here together.
    const loss = (await value.data())[0]!;
    value.dispose();
    if (!Number.isFinite(loss)) {
      tf.dispose(Object.values(grads));
      throw new NonFiniteLossError(this.stepCount, loss);
    }

    const summed = this.replicas === undefined ? grads : this.sumGradients(grads);
    const withDecay = this.addL2Decay(summed);
    this.optimizer.applyGradients(withDecay);
    tf.dispose([...Object.values(grads), ...Object.values(summed), ...Object.values(withDecay)]);
    this.applyDecoupledDecay();
    this.stepCount += 1;
    return loss;
  }

  /**
   * Splits `embeddings` `[2n, D]` (first views, then second views) into the first and
   * second views of the whole batch. With replicas, the other replicas' embeddings join
   * as constants in rank order, so the gradient reaches only this replica's rows.
   */
  private pairEmbeddings(embeddings: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
    if (this.replicas === undefined) {
      return tf.split(embeddings, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    }
    const dim = embeddings.shape[1];
    const firsts: tf.Tensor2D[] = [];
    const seconds: tf.Tensor2D[] = [];
    const parts = this.replicas.allGather(embeddings.dataSync() as Float32Array);
    parts.forEach((part, rank) => {
      const rows =
        rank === this.replicas!.rank ? embeddings : tf.tensor2d(part, [part.length / dim, dim]);
      const [first, second] = tf.split(rows, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
      firsts.push(first);
      seconds.push(second);
    });
    return [tf.concat(firsts, 0), tf.concat(seconds, 0)];
  }

  /** Sums each gradient over the replicas in one collective call. */
  private sumGradients(grads: tf.NamedTensorMap): tf.NamedTensorMap {
    const names = this.variables.map((variable) => variable.name);
    const total = names.reduce((count, name) => count + grads[name]!.size, 0);
    const flat = new Float32Array(total);
    let offset = 0;
    for (const name of names) {
      flat.set(grads[name]!.dataSync() as Float32Array, offset);
      offset += grads[name]!.size;
    }

    const summed = this.replicas!.allReduceSum(flat);
    const result: tf.NamedTensorMap = {};
    offset = 0;
    for (const name of names) {
      const { size, shape } = grads[name]!;
      result[name] = tf.tensor(summed.subarray(offset, offset + size), shape);
      offset += size;
    }
    return result;
  }

  /** Variables of the encoder and head, with names prefixed `encoder.` and `head.`. */
  namedVariables(): NamedVariable[] {
    return [
      ...this.encoder
        .namedVariables()
        .map((entry) => ({ ...entry, name: `encoder.${entry.name}` })),
      ...this.head.namedVariables().map((entry) => ({ ...entry, name: `head.${entry.name}` })),
    ];
  }

  /** For 'adam' and 'sgd', returns the gradients with λ·w added for decayed variables. */
  private addL2Decay(grads: tf.NamedTensorMap): tf.NamedTensorMap {
    if (this.weightDecay === 0 || (this.optimizerName !== 'adam' && this.optimizerName !== 'sgd')) {
      return grads;
    }
    const result: tf.NamedTensorMap = { ...grads };
    for (const variable of this.decayed) {
      result[variable.name] = tf.tidy(() =>
        tf.add(grads[variable.name]!, tf.mul(variable, this.weightDecay)),
      );
    }
    return result;
  }

  private applyDecoupledDecay(): void {
    if (this.weightDecay === 0 || this.optimizerName !== 'adamw') {
      return;
    }
    const factor = 1 - this.learningRate * this.weightDecay;
    tf.tidy(() => {
      for (const variable of this.decayed) {
        variable.assign(tf.mul(variable, factor));
      }
    });
  }
}
