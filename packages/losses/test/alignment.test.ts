import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { alignment } from '../src/index';
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
import { naiveAlignment } from './reference/wang-isola';

const lossWith =
  (alpha?: number): LossOfMatrices =>
  (z1, z2) =>
    alignment(z1!, z2!, alpha === undefined ? {} : { alpha });

const cases = [
  { n: 1, d: 3, alpha: 2 },
  { n: 2, d: 3, alpha: 2 },
  { n: 5, d: 8, alpha: 1 },
  { n: 16, d: 8, alpha: 0.5 },
  { n: 8, d: 16, alpha: 3 },
];

describe('alignment', () => {
  it.each(cases)('matches float64 reference (N=$n, D=$d, α=$alpha)', ({ n, d, alpha }) => {
    const random = new SeededNormal(90 * n + d);
    const z1 = random.matrix(n, d);
    const z2 = perturbed(z1, 0.5, () => random.normal());

    expect(evaluateValue(lossWith(alpha), [z1, z2])).toBeCloseTo(naiveAlignment(z1, z2, alpha), 6);
  });

  it.each(cases)(
    'gradient matches central differences (N=$n, D=$d, α=$alpha)',
    ({ n, d, alpha }) => {
      const random = new SeededNormal(1 + 90 * n + d);
      const inputs = [random.matrix(n, d), random.matrix(n, d)];

      const { gradients } = evaluate(lossWith(alpha), inputs);
      const expected = numericalGradients(([a, b]) => naiveAlignment(a!, b!, alpha), inputs);

      expectGradientsClose(gradients, expected, 1e-5);
    },
  );

  it('uses α 2 by default, which equals 2 − 2·mean cosine', () => {
    const random = new SeededNormal(3);
    const [z1, z2] = [random.matrix(6, 4), random.matrix(6, 4)];
    const cosines = z1.map((row, i) => {
      const dot = row.reduce((s, v, j) => s + v * z2[i]![j]!, 0);
      return dot / (Math.hypot(...row) * Math.hypot(...z2[i]!));
    });

    expect(evaluateValue(lossWith(), [z1, z2])).toBe(evaluateValue(lossWith(2), [z1, z2]));
    expect(evaluateValue(lossWith(), [z1, z2])).toBeCloseTo(
      2 - (2 * cosines.reduce((s, c) => s + c, 0)) / 6,
      6,
    );
  });

  it.each([2, 1, 0.5])('is 0 with a zero gradient for identical views (α=%f)', (alpha) => {
    const z = new SeededNormal(4).matrix(5, 3);

    const { value, gradients } = evaluate(lossWith(alpha), [z, z]);

    expect(value).toBe(0);
    expect(gradients.flat(2).every((g) => g === 0)).toBe(true);
  });

  it.each([2, 1, 0.5, 3])('equals 2^α for opposite views (α=%f)', (alpha) => {
    const z1 = new SeededNormal(5).matrix(4, 3);
    const z2 = z1.map((row) => row.map((v) => -2 * v));

    expect(evaluateValue(lossWith(alpha), [z1, z2])).toBeCloseTo(2 ** alpha, 5);
  });

  it('is invariant to positive row scales', () => {
    const random = new SeededNormal(6);
    const [z1, z2] = [random.matrix(6, 4), random.matrix(6, 4)];
    const scaled = z1.map((row, i) => row.map((v) => Math.fround(v * 10 ** (i - 2))));

    expect(evaluateValue(lossWith(), [scaled, z2])).toBeCloseTo(
      evaluateValue(lossWith(), [z1, z2]),
      5,
    );
  });

  it('stays finite and accurate with norms near 1e3', () => {
    const random = new SeededNormal(99);
    const z1 = withRowNorms(random.matrix(8, 16), 1e3, () => random.uniform());
    const z2 = withRowNorms(
      perturbed(z1, 20, () => random.normal()),
      1e3,
      () => random.uniform(),
    );

    const { value, gradients } = evaluate(lossWith(), [z1, z2]);
    const expected = numericalGradients(([a, b]) => naiveAlignment(a!, b!, 2), [z1, z2], 1e-4);

    expect(value).toBeCloseTo(naiveAlignment(z1, z2, 2), 6);
    expect(allFinite(gradients)).toBe(true);
    expectGradientsClose(gradients, expected, 1e-4);
  });

  it('gives finite values and gradients for zero rows', () => {
    for (const alpha of [2, 1, 0.5]) {
      const { value, gradients } = evaluate(lossWith(alpha), [
        [
          [0, 0],
          [1, 2],
          [0, 0],
        ],
        [
          [1, 1],
          [0, 0],
          [0, 0],
        ],
      ]);

      expect(Number.isFinite(value)).toBe(true);
      expect(allFinite(gradients)).toBe(true);
    }
  });

  it.each([
    {
      shapes: [
        [4, 3],
        [5, 3],
      ],
      message: /alignment: z1 and z2 must have the same shape \[N, D\], got \[4, 3\] and \[5, 3\]/,
    },
    {
      shapes: [
        [0, 3],
        [0, 3],
      ],
      message: /z1 and z2 must have at least 1 row \(N ≥ 1\), got shape \[0, 3\]/,
    },
  ])('rejects shapes $shapes', ({ shapes, message }) => {
    const tensors = shapes.map((shape): tf.Tensor => tf.zeros(shape));
    const [z1, z2] = tensors as tf.Tensor2D[];

    expect(() => alignment(z1!, z2!)).toThrow(message);
    tf.dispose(tensors);
  });

  it.each([0, -2, Number.NaN])('rejects α %f', (alpha) => {
    const z = tf.ones([3, 2]) as tf.Tensor2D;

    expect(() => alignment(z, z, { alpha })).toThrow(
      `alignment: alpha must be a finite number > 0, got ${alpha}.`,
    );
    z.dispose();
  });

  it.each([2, 1])('leaks no tensors (α=%f)', (alpha) => {
    const random = new SeededNormal(42);
    const tensors = [tf.tensor2d(random.matrix(5, 4)), tf.tensor2d(random.matrix(5, 4))];
    const [z1, z2] = tensors as [tf.Tensor2D, tf.Tensor2D];

    expectNoLeaks(() => {
      alignment(z1, z2, { alpha }).dispose();
      tf.dispose(tf.grads(asGradientFunction(lossWith(alpha)))(tensors));
      expect(() => alignment(z1, z2, { alpha: 0 })).toThrow();
    });
    tf.dispose(tensors);
  });
});
