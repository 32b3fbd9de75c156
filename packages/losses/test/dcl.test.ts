import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { dclLoss, type DclOptions } from '../src/index';
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
import { naiveDcl } from './reference/dcl';

const lossWith =
  (options: DclOptions): LossOfMatrices =>
  (z1, z2) =>
    dclLoss(z1!, z2!, options);

/** Computes the float64 reference with the defaults of dclLoss, which uses σ = 0.5 only when weighted. */
function reference(z1: number[][], z2: number[][], temperature: number, weighted: boolean) {
  return naiveDcl(z1, z2, temperature, weighted ? 0.5 : undefined);
}

const cases = [
  { n: 2, d: 3, temperature: 0.1, weighted: false },
  { n: 2, d: 3, temperature: 0.1, weighted: true },
  { n: 5, d: 8, temperature: 0.5, weighted: false },
  { n: 5, d: 8, temperature: 0.5, weighted: true },
  { n: 16, d: 8, temperature: 1, weighted: true },
  { n: 8, d: 16, temperature: 0.01, weighted: false },
  { n: 8, d: 16, temperature: 0.01, weighted: true },
];

describe('dclLoss', () => {
  it.each(cases)(
    'matches float64 reference (N=$n, D=$d, τ=$temperature, weighted=$weighted)',
    ({ n, d, temperature, weighted }) => {
      const random = new SeededNormal(40 * n + d);
      const z1 = random.matrix(n, d);
      const z2 = perturbed(z1, 0.6, () => random.normal());

      const expected = reference(z1, z2, temperature, weighted);
      const actual = evaluateValue(lossWith({ temperature, weighted }), [z1, z2]);

      const tolerance = (1e-6 * Math.max(1, Math.abs(expected))) / Math.min(1, temperature);
      expect(Math.abs(actual - expected)).toBeLessThan(tolerance);
    },
  );

  it.each(cases)(
    'gradient matches central differences (N=$n, D=$d, τ=$temperature, weighted=$weighted)',
    ({ n, d, temperature, weighted }) => {
      const random = new SeededNormal(3 + 40 * n + d);
      const inputs = [random.matrix(n, d), random.matrix(n, d)];

      const { gradients } = evaluate(lossWith({ temperature, weighted }), inputs);
      const expected = numericalGradients(
        ([z1, z2]) => reference(z1!, z2!, temperature, weighted),
        inputs,
      );

      expectGradientsClose(gradients, expected, 1e-5);
    },
  );

  it('uses τ 0.1, no weighting and σ 0.5 by default', () => {
    const random = new SeededNormal(3);
    const inputs = [random.matrix(4, 6), random.matrix(4, 6)];

    expect(evaluateValue(lossWith({}), inputs)).toBe(
      evaluateValue(lossWith({ temperature: 0.1, weighted: false }), inputs),
    );
    expect(evaluateValue(lossWith({ weighted: true }), inputs)).toBe(
      evaluateValue(lossWith({ temperature: 0.1, weighted: true, sigma: 0.5 }), inputs),
    );
  });

  it('uses σ in the weights', () => {
    const random = new SeededNormal(4);
    const [z1, z2] = [random.matrix(6, 5), random.matrix(6, 5)];
    const actual = evaluateValue(lossWith({ weighted: true, sigma: 2 }), [z1, z2]);

    expect(actual).toBeCloseTo(naiveDcl(z1, z2, 0.1, 2), 4);
  });

  it.each([2, 5, 16])('equals log(2N − 2) for identical embeddings (N=%i)', (n) => {
    const vector = new SeededNormal(5 * n).matrix(1, 8)[0]!;
    const z = Array.from({ length: n }, () => [...vector]);

    for (const temperature of [0.01, 0.1, 1]) {
      for (const weighted of [false, true]) {
        const loss = evaluateValue(lossWith({ temperature, weighted }), [z, z]);
        expect(loss).toBeCloseTo(Math.log(2 * n - 2), 4);
      }
    }
  });

  it.each([2, 4, 8])('equals −1/τ + log(2N − 2) for orthonormal pairs (N=%i)', (n) => {
    const identity = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
    );

    for (const temperature of [0.05, 0.5]) {
      for (const weighted of [false, true]) {
        const loss = evaluateValue(lossWith({ temperature, weighted }), [identity, identity]);
        expect(loss).toBeCloseTo(-1 / temperature + Math.log(2 * n - 2), 4);
      }
    }
  });

  it('weights pairs of equal similarity by 1', () => {
    const z = new SeededNormal(6).matrix(6, 4);

    const unweighted = evaluateValue(lossWith({ temperature: 0.2 }), [z, z]);
    const weighted = evaluateValue(lossWith({ temperature: 0.2, weighted: true }), [z, z]);

    expect(weighted).toBeCloseTo(unweighted, 5);
  });

  it.each([
    { temperature: 0.1, weighted: false },
    { temperature: 0.01, weighted: false },
    { temperature: 0.01, weighted: true },
  ])(
    'stays finite and accurate at τ=$temperature with norms near 1e3 (weighted=$weighted)',
    ({ temperature, weighted }) => {
      const random = new SeededNormal(99);
      const uniform = () => random.uniform();
      const anchors = random.matrix(8, 16);
      // Half the rows are near-duplicates, so some negatives are as close as the positives.
      const near = [...anchors.slice(0, 4), ...anchors.slice(0, 4)];
      const z1 = withRowNorms(
        perturbed(near, 0.05, () => random.normal()),
        1e3,
        uniform,
      );
      const z2 = withRowNorms(
        perturbed(near, 0.05, () => random.normal()),
        1e3,
        uniform,
      );

      const { value, gradients } = evaluate(lossWith({ temperature, weighted }), [z1, z2]);
      const expected = numericalGradients(
        ([a, b]) => reference(a!, b!, temperature, weighted),
        [z1, z2],
      );

      expect(Number.isFinite(value)).toBe(true);
      expect(allFinite(gradients)).toBe(true);
      expect(Math.abs(value - reference(z1, z2, temperature, weighted))).toBeLessThan(1e-3);
      expectGradientsClose(gradients, expected, 1e-4);
    },
  );

  it('gives finite loss and gradient for zero rows', () => {
    const inputs = [
      [
        [0, 0, 0],
        [1, 2, 3],
      ],
      [
        [0.5, -1, 2],
        [0, 0, 0],
      ],
    ];

    for (const weighted of [false, true]) {
      const { value, gradients } = evaluate(lossWith({ weighted }), inputs);
      expect(Number.isFinite(value)).toBe(true);
      expect(allFinite(gradients)).toBe(true);
    }
  });

  it.each([
    {
      label: 'different N',
      shapes: [
        [4, 3],
        [5, 3],
      ],
      message:
        /dclLoss: z1 and z2 must have the same shape \[N, D\], got \[4, 3\] and \[5, 3\]\. Row i/,
    },
    {
      label: 'N = 1',
      shapes: [
        [1, 3],
        [1, 3],
      ],
      message: /dclLoss: z1 and z2 must have at least 2 rows.*got shape \[1, 3\]/,
    },
  ])('rejects $label', ({ shapes, message }) => {
    const tensors = shapes.map((shape): tf.Tensor => tf.zeros(shape));
    const [z1, z2] = tensors as tf.Tensor2D[];

    expect(() => dclLoss(z1!, z2!)).toThrow(message);
    tf.dispose(tensors);
  });

  it.each([
    { options: { temperature: 0 }, message: 'temperature must be a finite number > 0, got 0.' },
    { options: { sigma: -1 }, message: 'sigma must be a finite number > 0, got -1.' },
    {
      options: { weighted: true, sigma: Number.NaN },
      message: 'sigma must be a finite number > 0',
    },
  ])('rejects options $options', ({ options, message }) => {
    const z = tf.ones([3, 2]) as tf.Tensor2D;

    expect(() => dclLoss(z, z, options)).toThrow(`dclLoss: ${message}`);
    z.dispose();
  });

  it('leaks no tensors', () => {
    const random = new SeededNormal(42);
    const tensors = [tf.tensor2d(random.matrix(5, 4)), tf.tensor2d(random.matrix(5, 4))];
    const [z1, z2] = tensors as [tf.Tensor2D, tf.Tensor2D];

    expectNoLeaks(() => {
      dclLoss(z1, z2).dispose();
      tf.dispose(tf.grads(asGradientFunction(lossWith({ weighted: true })))(tensors));
      expect(() => dclLoss(z1, z2, { temperature: 0 })).toThrow();
    });
    tf.dispose(tensors);
  });
});
