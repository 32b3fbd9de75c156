import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { negativeCosineSimilarity } from '../src/index';
import { SeededNormal, centralDifferences } from './float64-reference';
import {
  allFinite,
  asGradientFunction,
  evaluate,
  evaluateValue,
  expectGradientsClose,
  expectNoLeaks,
  perturbed,
  withRowNorms,
  type LossOfMatrices,
} from './harness';
import { naiveNegativeCosine } from './reference/negative-cosine';
import { unit } from './reference/vectors';

const loss: LossOfMatrices = (p, z) => negativeCosineSimilarity(p!, z!);

const cases = [
  { n: 1, d: 3 },
  { n: 2, d: 3 },
  { n: 5, d: 8 },
  { n: 16, d: 32 },
];

describe('negativeCosineSimilarity', () => {
  it.each(cases)('matches float64 reference (N=$n, D=$d)', ({ n, d }) => {
    const random = new SeededNormal(80 * n + d);
    const p = random.matrix(n, d);
    const z = perturbed(p, 1, () => random.normal());

    expect(evaluateValue(loss, [p, z])).toBeCloseTo(naiveNegativeCosine(p, z), 6);
  });

  it.each(cases)('gradient matches central differences for p (N=$n, D=$d)', ({ n, d }) => {
    const random = new SeededNormal(2 + 80 * n + d);
    const [p, z] = [random.matrix(n, d), random.matrix(n, d)];

    const { gradients } = evaluate(loss, [p, z]);
    const expected = centralDifferences((x) => naiveNegativeCosine(x, z), p, 1e-6);

    expectGradientsClose([gradients[0]!], [expected], 1e-5);
  });

  it.each(cases)('gives a zero gradient for z (N=$n, D=$d)', ({ n, d }) => {
    const random = new SeededNormal(4 + 80 * n + d);

    const { gradients } = evaluate(loss, [random.matrix(n, d), random.matrix(n, d)]);

    expect(gradients[1]!.flat()).toEqual(Array(n * d).fill(0));
  });

  it('passes no gradient to the weights that produced z', () => {
    const random = new SeededNormal(6);
    const x = tf.tensor2d(random.matrix(4, 3));
    const p = tf.tensor2d(random.matrix(4, 5));
    const weights = tf.tensor2d(random.matrix(3, 5));

    const [weightGradient, predictionGradient] = tf.grads((w: tf.Tensor, q: tf.Tensor) =>
      negativeCosineSimilarity(q as tf.Tensor2D, tf.matMul(x, w as tf.Tensor2D)),
    )([weights, p]);

    expect(Array.from(weightGradient!.dataSync())).toEqual(Array(15).fill(0));
    expect(Array.from(predictionGradient!.dataSync()).some((v) => v !== 0)).toBe(true);
    tf.dispose([x, p, weights, weightGradient!, predictionGradient!]);
  });

  it.each([
    { label: 'identical', sign: 1, expected: -1 },
    { label: 'opposite', sign: -1, expected: 1 },
  ])('equals $expected for $label rows', ({ sign, expected }) => {
    const p = new SeededNormal(7).matrix(5, 4);
    const z = p.map((row, i) => row.map((v) => v * sign * (i + 1)));

    expect(evaluateValue(loss, [p, z])).toBeCloseTo(expected, 6);
  });

  it('equals 0 for orthogonal rows', () => {
    const p = [
      [1, 0, 0],
      [0, 2, 0],
    ];
    const z = [
      [0, 3, 0],
      [0, 0, -1],
    ];

    expect(Math.abs(evaluateValue(loss, [p, z]))).toBe(0);
  });

  it("maps to BYOL's normalised squared error by 2 + 2·loss", () => {
    const random = new SeededNormal(8);
    const [p, z] = [random.matrix(6, 5), random.matrix(6, 5)];
    const squaredErrors = p.map((row, i) => {
      const [a, b] = [unit(row), unit(z[i]!)];
      return a.reduce((s, v, j) => s + (v - b[j]!) ** 2, 0);
    });
    const byol = squaredErrors.reduce((s, v) => s + v, 0) / p.length;

    expect(2 + 2 * evaluateValue(loss, [p, z])).toBeCloseTo(byol, 5);
  });

  it('stays finite and accurate with norms near 1e3', () => {
    const random = new SeededNormal(99);
    const p = withRowNorms(random.matrix(8, 16), 1e3, () => random.uniform());
    const z = withRowNorms(
      perturbed(p, 20, () => random.normal()),
      1e3,
      () => random.uniform(),
    );

    const { value, gradients } = evaluate(loss, [p, z]);
    const expected = centralDifferences((x) => naiveNegativeCosine(x, z), p, 1e-4);

    expect(value).toBeCloseTo(naiveNegativeCosine(p, z), 6);
    expect(allFinite(gradients)).toBe(true);
    expectGradientsClose([gradients[0]!], [expected], 1e-4);
  });

  it('gives a similarity of 0 and finite gradients for zero rows', () => {
    const { value, gradients } = evaluate(loss, [
      [
        [0, 0],
        [1, 2],
      ],
      [
        [1, 1],
        [0, 0],
      ],
    ]);

    expect(Math.abs(value)).toBe(0);
    expect(allFinite(gradients)).toBe(true);
  });

  it.each([
    {
      shapes: [
        [4, 3],
        [4, 2],
      ],
      message:
        /negativeCosineSimilarity: p and z must have the same shape \[N, D\], got \[4, 3\] and \[4, 2\]/,
    },
    {
      shapes: [
        [0, 3],
        [0, 3],
      ],
      message: /p and z must have at least 1 row \(N ≥ 1\), got shape \[0, 3\]/,
    },
    { shapes: [[3], [3]], message: /p must have rank 2/ },
  ])('rejects shapes $shapes', ({ shapes, message }) => {
    const tensors = shapes.map((shape): tf.Tensor => tf.zeros(shape));
    const [p, z] = tensors as tf.Tensor2D[];

    expect(() => negativeCosineSimilarity(p!, z!)).toThrow(message);
    tf.dispose(tensors);
  });

  it('leaks no tensors', () => {
    const random = new SeededNormal(42);
    const tensors = [tf.tensor2d(random.matrix(5, 4)), tf.tensor2d(random.matrix(5, 4))];
    const [p, z] = tensors as [tf.Tensor2D, tf.Tensor2D];
    const mismatched = tf.zeros([5, 3]) as tf.Tensor2D;

    expectNoLeaks(() => {
      negativeCosineSimilarity(p, z).dispose();
      tf.dispose(tf.grads(asGradientFunction(loss))(tensors));
      expect(() => negativeCosineSimilarity(p, mismatched)).toThrow();
    });
    tf.dispose([...tensors, mismatched]);
  });
});
