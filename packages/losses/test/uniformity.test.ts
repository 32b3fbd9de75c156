import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { uniformity } from '../src/index';
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
import { naiveUniformity } from './reference/wang-isola';

const lossWith =
  (t?: number): LossOfMatrices =>
  (z) =>
    uniformity(z!, t === undefined ? {} : { t });

const cases = [
  { n: 2, d: 3, t: 2 },
  { n: 5, d: 8, t: 1 },
  { n: 16, d: 8, t: 2 },
  { n: 8, d: 16, t: 5 },
];

describe('uniformity', () => {
  it.each(cases)('matches float64 reference (N=$n, D=$d, t=$t)', ({ n, d, t }) => {
    const z = new SeededNormal(110 * n + d).matrix(n, d);

    expect(evaluateValue(lossWith(t), [z])).toBeCloseTo(naiveUniformity(z, t), 5);
  });

  it.each(cases)('gradient matches central differences (N=$n, D=$d, t=$t)', ({ n, d, t }) => {
    const inputs = [new SeededNormal(1 + 110 * n + d).matrix(n, d)];

    const { gradients } = evaluate(lossWith(t), inputs);
    const expected = numericalGradients(([z]) => naiveUniformity(z!, t), inputs);

    expectGradientsClose(gradients, expected, 1e-5);
  });

  it('uses t 2 by default', () => {
    const z = new SeededNormal(3).matrix(6, 4);

    expect(evaluateValue(lossWith(), [z])).toBe(evaluateValue(lossWith(2), [z]));
  });

  it.each([2, 7])('is 0 with finite gradients when all rows are equal (N=%i)', (n) => {
    const vector = new SeededNormal(n).matrix(1, 5)[0]!;
    const z = Array.from({ length: n }, (_, i) => vector.map((v) => v * (i + 1)));

    const { value, gradients } = evaluate(lossWith(), [z]);

    expect(value).toBeCloseTo(0, 6);
    expect(allFinite(gradients)).toBe(true);
  });

  it.each([0.5, 2, 5])('equals −4t for two opposite rows (t=%f)', (t) => {
    expect(
      evaluateValue(lossWith(t), [
        [
          [1, 2, 3],
          [-3, -6, -9],
        ],
      ]),
    ).toBeCloseTo(-4 * t, 4);
  });

  it.each([3, 8])('equals −2t for orthogonal rows (N=%i)', (n) => {
    const identity = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (i === j ? 1 + i : 0)),
    );

    for (const t of [1, 2]) {
      expect(evaluateValue(lossWith(t), [identity])).toBeCloseTo(-2 * t, 5);
    }
  });

  it('stays finite and accurate with norms near 1e3', () => {
    const random = new SeededNormal(99);
    const base = random.matrix(4, 16);
    // Pairs of near-duplicates give distances near 0 as well as near the typical √2.
    const z = withRowNorms(
      perturbed([...base, ...base], 0.01, () => random.normal()),
      1e3,
      () => random.uniform(),
    );

    const { value, gradients } = evaluate(lossWith(), [z]);
    const expected = numericalGradients(([m]) => naiveUniformity(m!, 2), [z], 1e-4);

    expect(value).toBeCloseTo(naiveUniformity(z, 2), 5);
    expect(allFinite(gradients)).toBe(true);
    expectGradientsClose(gradients, expected, 1e-4);
  });

  it('treats a zero row as at distance 1 from every unit row', () => {
    const z = [
      [0, 0],
      [3, 0],
      [0, -2],
    ];
    // Pairs (zero, a), (zero, b) at squared distance 1 and (a, b) at 2, with t = 2.
    const expected = Math.log((2 * Math.exp(-2) + Math.exp(-4)) / 3);

    const { value, gradients } = evaluate(lossWith(), [z]);

    expect(value).toBeCloseTo(expected, 5);
    expect(allFinite(gradients)).toBe(true);
  });

  it.each([
    { shape: [1, 3], message: /uniformity: z must have at least 2 rows \(N ≥ 2\) to form a pair/ },
    { shape: [3], message: /uniformity: z must have rank 2/ },
    { shape: [3, 0], message: /z must have at least 1 column \(D ≥ 1\)/ },
  ])('rejects shape $shape', ({ shape, message }) => {
    const z: tf.Tensor = tf.zeros(shape);

    expect(() => uniformity(z as tf.Tensor2D)).toThrow(message);
    z.dispose();
  });

  it.each([0, -1, Number.POSITIVE_INFINITY])('rejects t %f', (t) => {
    const z = tf.ones([3, 2]) as tf.Tensor2D;

    expect(() => uniformity(z, { t })).toThrow(
      `uniformity: t must be a finite number > 0, got ${t}.`,
    );
    z.dispose();
  });

  it('leaks no tensors', () => {
    const z = tf.tensor2d(new SeededNormal(42).matrix(5, 4));

    expectNoLeaks(() => {
      uniformity(z).dispose();
      tf.dispose(tf.grads(asGradientFunction(lossWith()))([z]));
      expect(() => uniformity(z, { t: 0 })).toThrow();
    });
    z.dispose();
  });
});
