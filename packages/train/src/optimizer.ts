import * as tf from '@tensorflow/tfjs-core';

/** Optimizers that {@link createOptimizer} builds. */
export type OptimizerName = 'adam' | 'sgd';

/**
 * Creates a tfjs optimizer: Adam (Kingma and Ba, 2015) with β1 0.9, β2 0.999,
 * ε 1e-8, or SGD with Nesterov-free momentum 0.9.
 */
export function createOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
    throw new Error(`Invalid learning rate ${learningRate}: expected a finite number above 0.`);
  }
  switch (name) {
    case 'adam':
      return tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
    case 'sgd':
      return tf.train.momentum(learningRate, 0.9);
    default:
      throw new Error(`Unknown optimizer '${String(name)}': expected 'adam' or 'sgd'.`);
  }
}

/**
 * Sets the learning rate of a tfjs Adam or momentum optimizer for its next
 * update. Both read the protected `learningRate` field at every update.
 */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}
