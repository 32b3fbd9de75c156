import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { vicRegLoss, type VicRegOptions } from '../src/index';
import { SeededNormal } from './float64-reference';
import {
  allFinite,
  asGradientFunction,
  evaluate,
  evaluateValue,
  expectGradientsClose,
  expectNoLeaks,
  numericalGradients,
  perturbed,
  withRowNorms,
  type LossOfMatrices,
} from './harness';
import { naiveVicReg, type VicRegWeights } from './reference/vicreg';
import { column, mean, type Matrix } from './reference/vectors';

const DEFAULT_WEIGHTS: VicRegWeights = { similarity: 25, variance: 25, covariance: 1 };

const lossWith =
  (options: VicRegOptions = {}): LossOfMatrices =>
  (z1, z2) =>
    vicRegLoss(z1!, z2!, options);

const optionsOf = (weights: VicRegWeights): VicRegOptions => ({
  similarityWeight: weights.similarity,
  varianceWeight: weights.variance,
  covarianceWeight: weights.covariance,
});

/**
 * Draws an `[n, d]` matrix whose columns alternate between scale 0.3 and 3, so that
 * the variance hinge is active on some features and inactive on others.
 */
function mixedScales(random: SeededNormal, n: number, d: number): Matrix {
  return random.matrix(n, d).map((row) => row.map((v, j) => Math.fround(v * (j % 2 ? 3 : 0.3))));
}

/** Returns the smallest distance between sqrt(var + 1e-4) of a column and the hinge at 1. */
function distanceFromHinge(z: Matrix): number {
  return Math.min(
    ...z[0]!.map((_, j) => {
      const values = column(z, j);
      const m = mean(values);
      const variance = values.reduce((s, v) => s + (v - m) ** 2, 0) / (z.length - 1);
      return Math.abs(Math.sqrt(variance + 1e-4) - 1);
    }),
  );
}

const cases = [
  { n: 2, d: 3, weights: DEFAULT_WEIGHTS },
  { n: 5, d: 8, weights: DEFAULT_WEIGHTS },
  { n: 16, d: 8, weights: { similarity: 1, variance: 0.5, covariance: 2 } },
  { n: 32, d: 16, weights: DEFAULT_WEIGHTS },
  { n: 6, d: 4, weights: { similarity: 0, variance: 25, covariance: 0 } },
];

describe('vicRegLoss', () => {
  it.each(cases)(
    'matches float64 reference (N=$n, D=$d, weights=$weights)',
    ({ n, d, weights }) => {
      const random = new SeededNormal(70 * n + d);
      const z1 = mixedScales(random, n, d);
      const z2 = perturbed(z1, 0.5, () => random.normal());

      const expected = naiveVicReg(z1, z2, weights);
      const actual = evaluateValue(lossWith(optionsOf(weights)), [z1, z2]);

      expect(Math.abs(actual - expected)).toBeLessThan(2e-6 * Math.max(1, expected));
    },
  );

  it.each(cases)(
    'gradient matches central differences (N=$n, D=$d, weights=$weights)',
    ({ n, d, weights }) => {
      const random = new SeededNormal(1 + 70 * n + d);
      const inputs = [mixedScales(random, n, d), mixedScales(random, n, d)];
      // Central differences across the kink of the hinge would not estimate the gradient.
      inputs.forEach((z) => expect(distanceFromHinge(z)).toBeGreaterThan(1e-3));

      const { gradients } = evaluate(lossWith(optionsOf(weights)), inputs);
      const expected = numericalGradients(([z1, z2]) => naiveVicReg(z1!, z2!, weights), inputs);

      expectGradientsClose(gradients, expected, 1e-5);
    },
  );

  it('uses weights 25, 25 and 1 by default', () => {
    const random = new SeededNormal(3);
    const inputs = [mixedScales(random, 6, 4), mixedScales(random, 6, 4)];

    expect(evaluateValue(lossWith(), inputs)).toBe(
      evaluateValue(lossWith(optionsOf(DEFAULT_WEIGHTS)), inputs),
    );
  });

  it('is 0 for identical, decorrelated views with standard deviations above 1', () => {
    // Columns of a ±2 Hadamard matrix have mean 0, variance 16/3 and covariance 0.
    const z = [
      [2, 2, 2],
      [-2, 2, -2],
      [2, -2, -2],
      [-2, -2, 2],
    ];

    expect(evaluateValue(lossWith(), [z, z])).toBe(0);
  });

  it('adds 0.99/D per constant feature with a zero gradient there', () => {
    const z = [
      [2, 2, 2, 0.75],
      [-2, 2, -2, 0.75],
      [2, -2, -2, 0.75],
      [-2, -2, 2, 0.75],
    ];

    const { value, gradients } = evaluate(lossWith(), [z, z]);

    // sqrt(0 + 1e-4) = 0.01, so the hinge gives 0.99 for the constant column of each view.
    expect(value).toBeCloseTo((25 * 0.99) / 4, 5);
    expect(allFinite(gradients)).toBe(true);
    expect(gradients.flatMap((g) => g.map((row) => row[3]))).toEqual(Array(8).fill(0));
  });

  it('gradient matches central differences with a constant feature', () => {
    const random = new SeededNormal(15);
    const inputs = [mixedScales(random, 6, 3), mixedScales(random, 6, 3)].map((z) =>
      z.map((row) => [...row, -1.25]),
    );

    const { gradients } = evaluate(lossWith(), inputs);
    const expected = numericalGradients(
      ([z1, z2]) => naiveVicReg(z1!, z2!, DEFAULT_WEIGHTS),
      inputs,
    );

    expect(allFinite(gradients)).toBe(true);
    expectGradientsClose(gradients, expected, 1e-5);
  });

  it('stays finite and accurate with norms near 1e3', () => {
    const random = new SeededNormal(99);
    const z1 = withRowNorms(random.matrix(12, 8), 1e3, () => random.uniform());
    const z2 = withRowNorms(
      perturbed(z1, 30, () => random.normal()),
      1e3,
      () => random.uniform(),
    );

    const { value, gradients } = evaluate(lossWith(), [z1, z2]);
    const expected = numericalGradients(
      ([a, b]) => naiveVicReg(a!, b!, DEFAULT_WEIGHTS),
      [z1, z2],
      1e-4,
    );

    expect(Math.abs(value - naiveVicReg(z1, z2, DEFAULT_WEIGHTS))).toBeLessThan(1e-5 * value);
    expect(allFinite(gradients)).toBe(true);
    expectGradientsClose(gradients, expected, 1e-5);
  });

  it.each([
    {
      label: 'different N',
      shapes: [
        [4, 3],
        [3, 3],
      ],
      message: /vicRegLoss: z1 and z2 must have the same shape \[N, D\], got \[4, 3\] and \[3, 3\]/,
    },
    {
      label: 'N = 1',
      shapes: [
        [1, 3],
        [1, 3],
      ],
      message: /at least 2 rows \(N ≥ 2\) to estimate the variance of each feature/,
    },
  ])('rejects $label', ({ shapes, message }) => {
    const tensors = shapes.map((shape): tf.Tensor => tf.zeros(shape));
    const [z1, z2] = tensors as tf.Tensor2D[];

    expect(() => vicRegLoss(z1!, z2!)).toThrow(message);
    tf.dispose(tensors);
  });

  it.each([
    { options: { similarityWeight: -1 }, name: 'similarityWeight', value: -1 },
    { options: { varianceWeight: Number.NaN }, name: 'varianceWeight', value: Number.NaN },
    {
      options: { covarianceWeight: Number.POSITIVE_INFINITY },
      name: 'covarianceWeight',
      value: Number.POSITIVE_INFINITY,
    },
  ])('rejects $name $value', ({ options, name, value }) => {
    const z = tf.ones([3, 2]) as tf.Tensor2D;

    expect(() => vicRegLoss(z, z, options)).toThrow(
      `vicRegLoss: ${name} must be a finite number ≥ 0, got ${value}.`,
    );
    z.dispose();
  });

  it('leaks no tensors', () => {
    const random = new SeededNormal(42);
    const tensors = [tf.tensor2d(random.matrix(5, 4)), tf.tensor2d(random.matrix(5, 4))];
    const [z1, z2] = tensors as [tf.Tensor2D, tf.Tensor2D];

    expectNoLeaks(() => {
      vicRegLoss(z1, z2).dispose();
      tf.dispose(tf.grads(asGradientFunction(lossWith()))(tensors));
      expect(() => vicRegLoss(z1, z2, { varianceWeight: -1 })).toThrow();
    });
    tf.dispose(tensors);
  });
});
