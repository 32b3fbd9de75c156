// Helpers shared by the loss tests: evaluating a loss and its gradients with tfjs,
// numerical gradients of the float64 references, and error measures.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { centralDifferences } from './float64-reference';
import type { Matrix } from './reference/vectors';

/** A loss of one or more `[N, D]` inputs, each of which gets a gradient. */
export type LossOfMatrices = (...inputs: tf.Tensor2D[]) => tf.Scalar;

export interface ValueAndGradients {
  value: number;
  gradients: Matrix[];
}

/** Adapts `loss` to the signature that `tf.grads` and `tf.valueAndGrads` expect. */
export function asGradientFunction(loss: LossOfMatrices): (...xs: tf.Tensor[]) => tf.Scalar {
  return (...xs) => loss(...(xs as tf.Tensor2D[]));
}

/** Evaluates `loss` at float32 copies of `inputs`, with its gradient with respect to each. */
export function evaluate(loss: LossOfMatrices, inputs: Matrix[]): ValueAndGradients {
  return tf.tidy(() => {
    const tensors = inputs.map((m) => tf.tensor2d(m));
    const { value, grads } = tf.valueAndGrads(asGradientFunction(loss))(tensors);
    return {
      value: value.dataSync()[0]!,
      gradients: grads.map((g) => g.arraySync() as Matrix),
    };
  });
}

/** Evaluates only the value of `loss` at float32 copies of `inputs`. */
export function evaluateValue(loss: LossOfMatrices, inputs: Matrix[]): number {
  return tf.tidy(() => loss(...inputs.map((m) => tf.tensor2d(m))).dataSync()[0]!);
}

/** Estimates the gradient of the float64 `reference` with respect to each input. */
export function numericalGradients(
  reference: (inputs: Matrix[]) => number,
  inputs: Matrix[],
  step = 1e-6,
): Matrix[] {
  return inputs.map((input, index) =>
    centralDifferences(
      (x) => reference(inputs.map((other, i) => (i === index ? x : other))),
      input,
      step,
    ),
  );
}

export function maxAbsoluteDifference(actual: Matrix[], expected: Matrix[]): number {
  let worst = 0;
  actual.forEach((matrix, m) =>
    matrix.forEach((row, i) =>
      row.forEach((value, j) => {
        worst = Math.max(worst, Math.abs(value - expected[m]![i]![j]!));
      }),
    ),
  );
  return worst;
}

export function maxAbsoluteValue(matrices: Matrix[]): number {
  return Math.max(...matrices.flat(2).map(Math.abs));
}

export function allFinite(matrices: Matrix[]): boolean {
  return matrices.flat(2).every(Number.isFinite);
}

/**
 * Asserts that the tfjs gradients match the numerical ones within `relative` times
 * the largest numerical gradient entry, or within `absolute`, whichever is larger.
 */
export function expectGradientsClose(
  actual: Matrix[],
  expected: Matrix[],
  relative: number,
  absolute = 0,
): void {
  const tolerance = Math.max(relative * maxAbsoluteValue(expected), absolute);
  expect(maxAbsoluteDifference(actual, expected)).toBeLessThanOrEqual(tolerance);
}

/**
 * Runs `step` several times and asserts that the number of live tensors is the same
 * after each run as before the first.
 */
export function expectNoLeaks(step: () => void, runs = 5): void {
  const before = tf.memory().numTensors;
  for (let run = 0; run < runs; run++) {
    step();
    expect(tf.memory().numTensors).toBe(before);
  }
}

/** Returns `matrix` with each row rescaled to a norm drawn from [0.5, 1.5] × `norm`. */
export function withRowNorms(matrix: Matrix, norm: number, uniform: () => number): Matrix {
  return matrix.map((row) => {
    const current = Math.hypot(...row);
    const target = norm * (0.5 + uniform());
    return row.map((v) => Math.fround((v / current) * target));
  });
}

/** Returns `matrix` plus `scale` times fresh noise, rounded to float32. */
export function perturbed(matrix: Matrix, scale: number, normal: () => number): Matrix {
  return matrix.map((row) => row.map((v) => Math.fround(v + scale * normal())));
}
