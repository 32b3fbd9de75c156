import * as tf from '@tensorflow/tfjs-core';

/**
 * Returns `size` values uniform in [-1, 1) from a linear congruential generator, so
 * every backend receives the same inputs for the same seed.
 */
export function seededValues(size: number, seed: number): Float32Array {
  const values = new Float32Array(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 2 ** 31 - 1;
  }
  return values;
}

/** Switches to `backend`, runs `compute` in a tidy scope and reads its result back. */
export async function valuesOn(
  backend: string,
  compute: () => tf.Tensor | tf.Tensor[],
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outputs = tf.tidy(compute);
  const list = Array.isArray(outputs) ? outputs : [outputs];
  const values = list.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(list);
  return values;
}

/** Largest absolute difference divided by the largest absolute expected value (or 1 if smaller). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) {
    return Infinity;
  }
  let maxDiff = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return Number.isNaN(maxDiff) ? Infinity : maxDiff / scale;
}

/** Number of data buffers the active backend holds, which catches leaked references. */
export function backendDataIds(): number {
  return tf.engine().backend.numDataIds();
}
