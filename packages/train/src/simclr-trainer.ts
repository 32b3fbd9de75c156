import * as tf from '@tensorflow/tfjs-core';
import { createRng, simclrAugment, type Rng, type SimclrAugmentOptions } from '@simclr-ts/augment';
import { ntXentLoss } from '@simclr-ts/contrastive-losses';
import { trainableVariables, type Module, type NamedVariable } from '@simclr-ts/models';
import { createOptimizer, setLearningRate, type OptimizerName } from './optimizer';

/** An encoder or head as the trainer uses it. */
export interface TrainableModule extends Module {
  apply(x: tf.Tensor, options: { training: boolean }): tf.Tensor2D;
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
   * Decoupled weight decay (Loshchilov and Hutter, 2019), applied to
   * convolution and linear weights only, not to BatchNorm parameters or
   * biases. Default 0.
   */
  weightDecay?: number;
  /** NT-Xent temperature τ. Default 0.5, SimCLR's choice for CIFAR-10. */
  temperature?: number;
  /** Options of the view generator. */
  augment?: SimclrAugmentOptions;
  /** Seed of the augmentation and shuffling streams. Default 0. */
  seed?: number;
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
  private learningRate: number;

  constructor(options: SimclrTrainerOptions) {
    this.encoder = options.encoder;
    this.head = options.head;
    this.learningRate = options.learningRate;
    this.optimizer = createOptimizer(options.optimizer ?? 'adam', options.learningRate);
    this.temperature = options.temperature ?? 0.5;
    this.weightDecay = options.weightDecay ?? 0;
    if (!(this.weightDecay >= 0)) {
      throw new Error(`Invalid weight decay ${this.weightDecay}: expected a number of at least 0.`);
    }
    this.augmentOptions = options.augment ?? {};
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
    if (images.shape[0] < 2) {
      throw new Error(
        `Invalid batch of ${images.shape[0]} images: a SimCLR step needs at least 2.`,
      );
    }
    const views = tf.tidy(() => {
      const first = simclrAugment(images, this.augmentRng, this.augmentOptions);
      const second = simclrAugment(images, this.augmentRng, this.augmentOptions);
      return tf.concat([first, second], 0);
    });
    const batch = images.shape[0];

    const { value, grads } = tf.variableGrads(() => {
      const features = this.encoder.apply(views, { training: true });
      const embeddings = this.head.apply(features, { training: true });
      const [z1, z2] = tf.split(embeddings, [batch, batch], 0) as [tf.Tensor2D, tf.Tensor2D];
      return ntXentLoss(z1, z2, { temperature: this.temperature });
    }, this.variables);
    views.dispose();

    const loss = (await value.data())[0]!;
    value.dispose();
    if (!Number.isFinite(loss)) {
      tf.dispose(Object.values(grads));
      throw new NonFiniteLossError(this.stepCount, loss);
    }

    this.optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
    this.applyWeightDecay();
    this.stepCount += 1;
    return loss;
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

  private applyWeightDecay(): void {
    if (this.weightDecay === 0) {
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
