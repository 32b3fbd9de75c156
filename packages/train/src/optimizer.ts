import * as tf from '@tensorflow/tfjs-core';
import { LarsOptimizer } from './lars';

/** Optimizers that {@link createOptimizer} builds. */
export const OPTIMIZER_NAMES = ['adam', 'adamw', 'sgd', 'lars'] as const;

/** Name of an optimizer that {@link createOptimizer} builds. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Options of {@link createOptimizer}. */
export interface OptimizerOptions {
  /** LARS's weight decay, which it applies itself. The other optimizers ignore it. Default 0. */
  weightDecay?: number;
  /** LARS's trust coefficient η. Default 0.001. */
  trustCoefficient?: number;
}

/**
 * Creates an optimizer: Adam and AdamW (Kingma and Ba, 2015) with β1 0.9, β2 0.999 and
 * ε 1e-8, SGD with momentum 0.9 (not Nesterov), or {@link LarsOptimizer} with momentum
 * 0.9. Adam and AdamW differ only in how `SimclrTrainer` applies weight decay.
 */
export function createOptimizer(
  name: OptimizerName,
  learningRate: number,
  options: OptimizerOptions = {},
): tf.Optimizer {
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
    throw new Error(`Invalid learning rate ${learningRate}: expected a finite number above 0.`);
  }
  switch (name) {
    case 'adam':
    case 'adamw':
      return tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
    case 'sgd':
      return tf.train.momentum(learningRate, 0.9);
    case 'lars':
      return new LarsOptimizer(learningRate, {
        weightDecay: options.weightDecay,
        trustCoefficient: options.trustCoefficient,
      });
    default:
      throw new Error(
        `Unknown optimizer '${String(name)}': expected one of ${OPTIMIZER_NAMES.join(', ')}.`,
      );
  }
}

/**
 * Sets the learning rate of an optimizer from {@link createOptimizer} for its next
 * update. Each reads its `learningRate` field at every update.
 */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}
