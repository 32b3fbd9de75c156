import * as tf from '@tensorflow/tfjs-core';

// tfjs-core's CommonJS bundle registers only the gradients defined inline with their
// ops; these kernels' gradients come only from the full registration.
const SENTINEL_KERNELS = [tf.RealDiv, tf.Conv2D, tf.Relu, tf.BatchMatMul];

/**
 * Throws unless tfjs-core's gradient registry has the gradients that training needs.
 *
 * Checks `tf.getGradient` for `RealDiv`, `Conv2D`, `Relu` and `BatchMatMul`, which
 * tfjs-core 4.22 registers only in `dist/register_all_gradients`. Without them
 * `tf.grad` fails deep inside training with "gradient function not found for RealDiv".
 *
 * @throws Error naming the kernels without a gradient and the import that fixes it.
 */
export function assertGradientsRegistered(): void {
  const missing = SENTINEL_KERNELS.filter((kernelName) => tf.getGradient(kernelName) === undefined);
  if (missing.length === 0) {
    return;
  }

  throw new Error(
    `tfjs gradients are not registered: no gradient for ${missing.join(', ')}. ` +
      "Import '@tensorflow/tfjs-core/dist/register_all_gradients' once before training " +
      '(through a bundler or an ESM loader that accepts its extensionless imports), ' +
      "or use '@tensorflow/tfjs', which registers every gradient. Both must share the " +
      'tfjs-core instance that runs the model.',
  );
}
