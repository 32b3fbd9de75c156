import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { barlowTwinsLoss } from '../src/index';
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
import { naiveBarlowTwins } from './reference/barlow-twins';

const lossWith =
  (lambda?: number): LossOfMatrices =>
  (z1, z2) =>
    barlowTwinsLoss(z1!, z2!, lambda === undefined ? {} : { lambda });

/** Returns `matrix` with a column of the constant `value` inserted at `index`. */
function withConstantColumn(matrix: number[][], index: number, value: number): number[][] {
  return matrix.map((row) => [...row.slice(0, index), value, ...row.slice(index)]);
}

const cases = [
  { n: 2, d: 3, lambda: 5e-3 },
  { n: 5, d: 8, lambda: 5e-3 },
  { n: 16, d: 8, lambda: 0.1 },
  { n: 32, d: 16, lambda: 5e-3 },
  { n: 6, d: 4, lambda: 0 },
];

describe('barlowTwinsLoss', () => {
  it.each(cases)('matches float64 reference (N=$n, D=$d, λ=$lambda)', ({ n, d, lambda }) => {
    const random = new SeededNormal(60 * n + d);
    const z1 = random.matrix(n, d);
    const z2 = perturbed(z1, 0.5, () => random.normal());

    const expected = naiveBarlowTwins(z1, z2, lambda);
    const actual = evaluateValue(lossWith(lambda), [z1, z2]);

    expect(Math.abs(actual - expected)).toBeLessThan(2e-6 * Math.max(1, expected));
  });

  it.each(cases)(
    'gradient matches central differences (N=$n, D=$d, λ=$lambda)',
    ({ n, d, lambda }) => {
      const random = new SeededNormal(5 + 60 * n + d);
      const inputs = [random.matrix(n, d), random.matrix(n, d)];

      const { gradients } = evaluate(lossWith(lambda), inputs);
      const expected = numericalGradients(([z1, z2]) => naiveBarlowTwins(z1!, z2!, lambda), inputs);

      // With N = 2 every standardised entry is ±1, so the gradient comes only from the
      // epsilon and is a difference of O(1) terms: float32 rounds it by about 1e-6.
      expectGradientsClose(gradients, expected, 1e-5, 2e-6);
    },
  );

  it('uses λ 5e-3 by default', () => {
    const random = new SeededNormal(3);
    const inputs = [random.matrix(6, 4), random.matrix(6, 4)];

    expect(evaluateValue(lossWith(), inputs)).toBe(evaluateValue(lossWith(5e-3), inputs));
  });

  it('is near 0 for identical views with decorrelated features', () => {
    // Columns of a ±1 Hadamard matrix have mean 0, variance 1 and correlation 0.
    const hadamard = [
      [1, 1, 1, 1],
      [1, -1, 1, -1],
      [1, 1, -1, -1],
      [1, -1, -1, 1],
    ];
    const z = hadamard.map((row) => row.slice(1));

    // Each C_ii is 1/(1 + 1e-5), so the loss is 3 × (1e-5)² up to rounding.
    expect(evaluateValue(lossWith(), [z, z])).toBeLessThan(1e-9);
  });

  it('is invariant to per-feature shifts and positive scales', () => {
    const random = new SeededNormal(11);
    const z1 = random.matrix(10, 5);
    const z2 = perturbed(z1, 0.5, () => random.normal());
    // Scales from 0.5 to 2048 keep every variance far above the epsilon of 1e-5.
    const transform = (m: number[][]) =>
      m.map((row) => row.map((v, j) => Math.fround(v * 2 ** (3 * j - 1) + 3 * j)));

    const original = evaluateValue(lossWith(0.1), [z1, z2]);
    const transformed = evaluateValue(lossWith(0.1), [transform(z1), transform(z2)]);

    expect(Math.abs(transformed - original)).toBeLessThan(1e-4 * original);
  });

  it('shrinks features whose variance is far below 1e-5 towards 0', () => {
    const random = new SeededNormal(14);
    const z = random.matrix(8, 3).map((row) => row.map((v) => Math.fround(v * 1e-4)));

    // Each standardised column is scaled by about sqrt(1e-8 / 1e-5) ≈ 0.03, so C_ii ≈ 1e-3.
    expect(evaluateValue(lossWith(), [z, z])).toBeGreaterThan(2.99);
  });

  it('adds 1 for each feature that is constant over the batch', () => {
    const random = new SeededNormal(12);
    const z1 = random.matrix(8, 4);
    const z2 = perturbed(z1, 0.5, () => random.normal());
    const base = evaluateValue(lossWith(), [z1, z2]);

    const oneConstant = [withConstantColumn(z1, 1, 0.75), withConstantColumn(z2, 1, -2)];
    const constantInOneView = [withConstantColumn(z1, 1, 0.75), withConstantColumn(z2, 1, 0.3)];
    constantInOneView[1]![3]![1] = 5;
    const { value, gradients } = evaluate(lossWith(), oneConstant);

    expect(value - base).toBeCloseTo(1, 5);
    expect(allFinite(gradients)).toBe(true);
    expect(evaluateValue(lossWith(), constantInOneView)).toBeCloseTo(
      naiveBarlowTwins(constantInOneView[0]!, constantInOneView[1]!, 5e-3),
      5,
    );
  });

  it('gradient matches central differences with constant features', () => {
    const random = new SeededNormal(13);
    const inputs = [
      withConstantColumn(random.matrix(6, 3), 0, 1.5),
      withConstantColumn(random.matrix(6, 3), 2, 0),
    ];

    const { value, gradients } = evaluate(lossWith(), inputs);
    const expected = numericalGradients(([z1, z2]) => naiveBarlowTwins(z1!, z2!, 5e-3), inputs);

    expect(value).toBeCloseTo(naiveBarlowTwins(inputs[0]!, inputs[1]!, 5e-3), 5);
    expectGradientsClose(gradients, expected, 1e-5);
  });

  it('gives 1 per feature and finite gradients for all-constant inputs', () => {
    const z1 = Array.from({ length: 4 }, () => [1, 2, 3]);
    const z2 = Array.from({ length: 4 }, () => [0, 0, 0]);

    const { value, gradients } = evaluate(lossWith(), [z1, z2]);

    expect(value).toBeCloseTo(3, 6);
    expect(allFinite(gradients)).toBe(true);
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
    const expected = numericalGradients(([a, b]) => naiveBarlowTwins(a!, b!, 5e-3), [z1, z2]);

    expect(Math.abs(value - naiveBarlowTwins(z1, z2, 5e-3))).toBeLessThan(1e-5 * value);
    expect(allFinite(gradients)).toBe(true);
    expectGradientsClose(gradients, expected, 1e-5);
  });

  it.each([
    {
      label: 'different D',
      shapes: [
        [4, 3],
        [4, 5],
      ],
      message:
        /barlowTwinsLoss: z1 and z2 must have the same shape \[N, D\], got \[4, 3\] and \[4, 5\]/,
    },
    {
      label: 'N = 1',
      shapes: [
        [1, 3],
        [1, 3],
      ],
      message:
        /at least 2 rows \(N ≥ 2\) to standardise each feature over the batch, got shape \[1, 3\]/,
    },
    {
      label: 'rank 1',
      shapes: [[4], [4]],
      message: /z1 must have rank 2/,
    },
  ])('rejects $label', ({ shapes, message }) => {
    const tensors = shapes.map((shape): tf.Tensor => tf.zeros(shape));
    const [z1, z2] = tensors as tf.Tensor2D[];

    expect(() => barlowTwinsLoss(z1!, z2!)).toThrow(message);
    tf.dispose(tensors);
  });

  it.each([-1e-3, Number.NaN, Number.POSITIVE_INFINITY])('rejects λ %f', (lambda) => {
    const z = tf.ones([3, 2]) as tf.Tensor2D;

    expect(() => barlowTwinsLoss(z, z, { lambda })).toThrow(
      `barlowTwinsLoss: lambda must be a finite number ≥ 0, got ${lambda}.`,
    );
    z.dispose();
  });

  it('leaks no tensors', () => {
    const random = new SeededNormal(42);
    const tensors = [tf.tensor2d(random.matrix(5, 4)), tf.tensor2d(random.matrix(5, 4))];
    const [z1, z2] = tensors as [tf.Tensor2D, tf.Tensor2D];

    expectNoLeaks(() => {
      barlowTwinsLoss(z1, z2).dispose();
      tf.dispose(tf.grads(asGradientFunction(lossWith()))(tensors));
      expect(() => barlowTwinsLoss(z1, z2, { lambda: -1 })).toThrow();
    });
    tf.dispose(tensors);
  });
});
