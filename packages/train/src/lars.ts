import * as tf from '@tensorflow/tfjs-core';

/** A named tensor, as tfjs optimizers take and return slots (not re-exported by tfjs-core 4.22). */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** Options of {@link LarsOptimizer}. */
export interface LarsOptions {
  /** Momentum of the velocity. Default 0.9, as in SimCLR. */
  momentum?: number;
  /** Trust coefficient η of the layer-wise rate. Default 0.001, as in SimCLR's LARS. */
  trustCoefficient?: number;
  /**
   * L2 weight decay λ, added to the gradient of adapted variables before the trust ratio.
   * Default 0. SimCLR uses 1e-6.
   */
  weightDecay?: number;
  /**
   * Returns true for variables that get neither weight decay nor layer-wise adaptation,
   * only momentum SGD. Default: variables of rank 1 or less, which in our models are
   * exactly the BatchNorm parameters and the biases, as SimCLR excludes them.
   */
  exclude?: (variable: tf.Variable) => boolean;
}

interface Velocity {
  /** Name of the variable the velocity belongs to. */
  originalName: string;
  variable: tf.Variable;
}

/**
 * Layer-wise Adaptive Rate Scaling (You, Gitman and Ginsburg, 2017, "Large Batch Training
 * of Convolutional Networks"), in the form SimCLR trains with (Chen et al., 2020,
 * Section 2 and the authors' `lars_optimizer.py`). For every variable w with gradient g
 * that is not excluded:
 *
 *   g ← g + λ·w,  r = η·‖w‖ / ‖g‖ (1 where either norm is 0),  v ← m·v + lr·r·g,  w ← w − v
 *
 * and for excluded variables r = 1 and λ = 0. Slots (one velocity per variable) save and
 * restore with `getWeights` and `setWeights` in the order of the first update, like
 * tfjs's own optimizers.
 */
export class LarsOptimizer extends tf.Optimizer {
  /** Name under which tfjs serialisation would register the class. */
  static readonly className = 'LarsOptimizer';

  learningRate: number;
  readonly momentum: number;
  readonly trustCoefficient: number;
  readonly weightDecay: number;
  private readonly exclude: (variable: tf.Variable) => boolean;
  private velocities: Velocity[] = [];

  constructor(learningRate: number, options: LarsOptions = {}) {
    super();
    this.learningRate = learningRate;
    this.momentum = options.momentum ?? 0.9;
    this.trustCoefficient = options.trustCoefficient ?? 0.001;
    this.weightDecay = options.weightDecay ?? 0;
    this.exclude = options.exclude ?? ((variable) => variable.rank <= 1);
    const checks: Array<[string, number, boolean, string]> = [
      ['momentum', this.momentum, this.momentum >= 0 && this.momentum < 1, 'in [0, 1)'],
      ['trust coefficient', this.trustCoefficient, this.trustCoefficient > 0, 'above 0'],
      ['weight decay', this.weightDecay, this.weightDecay >= 0, 'of at least 0'],
    ];
    for (const [name, value, valid, range] of checks) {
      if (!valid || !Number.isFinite(value)) {
        throw new Error(`Invalid LARS ${name} ${value}: expected a finite number ${range}.`);
      }
    }
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries = Array.isArray(variableGradients)
      ? variableGradients.map((entry) => [entry.name, entry.tensor] as const)
      : Object.entries(variableGradients);

    entries.forEach(([name, gradient], index) => {
      const variable = tf.engine().registeredVariables[name];
      if (variable === undefined || gradient == null) {
        return;
      }
      this.velocities[index] ??= {
        originalName: `${name}/velocity`,
        variable: tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
      };
      const velocity = this.velocities[index]!.variable;
      const excluded = this.exclude(variable);

      tf.tidy(() => {
        let direction = gradient;
        let rate: tf.Scalar | number = this.learningRate;
        if (!excluded) {
          if (this.weightDecay > 0) {
            direction = tf.add(gradient, tf.mul(variable, this.weightDecay));
          }
          const weightNorm = tf.norm(variable);
          const gradientNorm = tf.norm(direction);
          const bothPositive = tf.logicalAnd(
            tf.greater(weightNorm, 0),
            tf.greater(gradientNorm, 0),
          );
          const trust = tf.where(
            bothPositive,
            tf.div(tf.mul(weightNorm, this.trustCoefficient), tf.maximum(gradientNorm, 1e-30)),
            tf.onesLike(weightNorm),
          );
          rate = tf.mul(trust, this.learningRate) as tf.Scalar;
        }
        const next = tf.add(tf.mul(velocity, this.momentum), tf.mul(direction, rate));
        velocity.assign(next);
        variable.assign(tf.sub(variable, next));
      });
    });
    this.incrementIterations();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return [
      await this.saveIterations(),
      ...this.velocities.map((entry) => ({ name: entry.originalName, tensor: entry.variable })),
    ];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const slots = await this.extractIterations(weightValues);
    tf.dispose(this.velocities.map((entry) => entry.variable));
    this.velocities = slots.map((slot) => ({
      originalName: slot.name,
      variable: tf.variable(slot.tensor, false),
    }));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      momentum: this.momentum,
      trustCoefficient: this.trustCoefficient,
      weightDecay: this.weightDecay,
    };
  }

  override dispose(): void {
    super.dispose();
    tf.dispose(this.velocities.map((entry) => entry.variable));
    this.velocities = [];
  }
}
