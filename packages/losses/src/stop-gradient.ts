import * as tf from '@tensorflow/tfjs-core';

/**
 * Returns a copy of `x` through which no gradient flows: under `tf.grad` and
 * `optimizer.minimize`, the gradient with respect to `x` and everything that
 * produced it is zero. tfjs-core 4.22 has no `stopGradient` op, so this is a
 * custom gradient that returns zeros.
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const detach = tf.customGrad((input) => ({
    value: tf.clone(input as T),
    gradFunc: (dy: T) => tf.zerosLike(dy),
  }));
  return detach(x) as T;
}
