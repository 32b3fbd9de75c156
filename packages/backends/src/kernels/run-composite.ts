import * as tf from '@tensorflow/tfjs-core';
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Runs tfjs ops inside a kernel function and returns their result as the kernel's output.
 *
 * A kernel function receives `TensorInfo`s, but ops accept only `Tensor`s. Each input is
 * wrapped in a `Tensor` that shares its data, and the wrapper takes its own reference
 * (`backend.incRef`) so that disposing it leaves the caller's data alive. `compute` runs
 * inside `tf.tidy`, which disposes every intermediate tensor. The result tensor hands
 * its reference to the returned `TensorInfo` (the same pattern as the `Reshape` kernels of
 * tfjs), so the engine can wrap that info in the output tensor without a copy or a leak.
 *
 * Ops called here are not recorded on the gradient tape, because the engine records
 * only at kernel depth 0.
 *
 * @param backend The backend that runs the kernel; every input must live on it.
 * @param inputs Kernel inputs, passed to `compute` as tensors in the same order.
 * @param compute Builds the output from the wrapped inputs with tfjs ops.
 * @returns The output's `TensorInfo`, which owns exactly one backend reference.
 */
export function runComposite(
  backend: KernelBackend,
  inputs: readonly TensorInfo[],
  compute: (...tensors: tf.Tensor[]) => tf.Tensor,
): TensorInfo {
  const engine = tf.engine();
  const result = tf.tidy(() => {
    const wrapped = inputs.map((info) => {
      backend.incRef(info.dataId);
      return engine.makeTensorFromTensorInfo(info, backend);
    });
    return compute(...wrapped);
  });

  backend.incRef(result.dataId);
  const output: TensorInfo = { dataId: result.dataId, shape: result.shape, dtype: result.dtype };
  result.dispose();
  return output;
}
