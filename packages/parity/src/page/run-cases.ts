import * as tf from '@tensorflow/tfjs-core';

import type { ParityCase } from '../cases/parity-case';
import type { CaseOutput, CaseResult } from '../types';

/**
 * Runs one case and reads its outputs back. The tensor count before and after shows leaks,
 * and an error becomes part of the result, so one failing case doesn't hide the others.
 * `takeGpuErrors` returns the WebGPU validation errors raised since its last call.
 */
export async function runCase(
  parityCase: ParityCase,
  takeGpuErrors: () => string[],
): Promise<CaseResult> {
  const tensorsBefore = tf.memory().numTensors;
  const started = performance.now();
  let inputDigest = '';
  const outputs: CaseOutput[] = [];
  let error: string | undefined;

  let tensors: Record<string, tf.Tensor> = {};
  try {
    tensors = tf.tidy(() =>
      parityCase.run((text) => {
        inputDigest = text;
      }),
    );
    for (const [name, tensor] of Object.entries(tensors)) {
      const values = await tensor.data();
      outputs.push({ name, shape: [...tensor.shape], values: Array.from(values) });
    }
  } catch (caught) {
    error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
    outputs.length = 0;
  } finally {
    tf.dispose(Object.values(tensors));
  }
  // The device dispatches its errors as separate events, so wait one macrotask for them.
  // NOTE: an error dispatched later still counts, but for the next case.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const gpuErrors = takeGpuErrors();

  return {
    name: parityCase.name,
    outputs,
    inputDigest,
    tensorsBefore,
    tensorsAfter: tf.memory().numTensors,
    backend: tf.getBackend(),
    ...(error === undefined ? {} : { error }),
    gpuErrors,
    millis: performance.now() - started,
  };
}
