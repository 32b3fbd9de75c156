import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ntXentLoss, supConLoss } from '../src/index';
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
import { naiveSupCon } from './reference/sup-con';

const lossWith =
  (labels: number[], temperature?: number): LossOfMatrices =>
  (z1, z2) =>
    supConLoss(
      z1!,
      z2!,
      tf.tensor1d(labels, 'int32'),
      temperature === undefined ? {} : { temperature },
    );

const cases = [
  { n: 2, d: 3, temperature: 0.07, labels: [0, 0] },
  { n: 2, d: 3, temperature: 0.1, labels: [0, 1] },
  { n: 6, d: 8, temperature: 0.1, labels: [0, 1, 0, 2, 1, 0] },
  { n: 16, d: 8, temperature: 0.5, labels: Array.from({ length: 16 }, (_, i) => i % 3) },
  { n: 8, d: 16, temperature: 0.01, labels: [3, 3, 3, 1, 1, 4, 4, 9] },
];

describe('supConLoss', () => {
  it.each(cases)(
    'matches float64 reference (N=$n, D=$d, τ=$temperature, labels=$labels)',
    ({ n, d, temperature, labels }) => {
      const random = new SeededNormal(50 * n + d);
      const z1 = random.matrix(n, d);
      const z2 = perturbed(z1, 0.7, () => random.normal());

      const expected = naiveSupCon(z1, z2, labels, temperature);
      const actual = evaluateValue(lossWith(labels, temperature), [z1, z2]);

      const tolerance = (1e-6 * Math.max(1, expected)) / Math.min(1, temperature);
      expect(Math.abs(actual - expected)).toBeLessThan(tolerance);
    },
  );

  it.each(cases)(
    'gradient matches central differences (N=$n, D=$d, τ=$temperature)',
    ({ n, d, temperature, labels }) => {
      const random = new SeededNormal(9 + 50 * n + d);
      const inputs = [random.matrix(n, d), random.matrix(n, d)];

      const { gradients } = evaluate(lossWith(labels, temperature), inputs);
      const expected = numericalGradients(
        ([z1, z2]) => naiveSupCon(z1!, z2!, labels, temperature),
        inputs,
      );

      expectGradientsClose(gradients, expected, 1e-5);
    },
  );

  it('uses temperature 0.07 by default', () => {
    const random = new SeededNormal(3);
    const inputs = [random.matrix(4, 6), random.matrix(4, 6)];
    const labels = [0, 1, 1, 0];

    expect(evaluateValue(lossWith(labels), inputs)).toBe(
      evaluateValue(lossWith(labels, 0.07), inputs),
    );
  });

  it.each([2, 5, 16])('equals ntXentLoss when every label is distinct (N=%i)', (n) => {
    const random = new SeededNormal(17 * n);
    const inputs = [random.matrix(n, 8), random.matrix(n, 8)];
    const labels = Array.from({ length: n }, (_, i) => 100 - 7 * i);

    const supervised = evaluateValue(lossWith(labels, 0.3), inputs);
    const unsupervised = evaluateValue((a, b) => ntXentLoss(a!, b!, { temperature: 0.3 }), inputs);

    expect(supervised).toBeCloseTo(unsupervised, 5);
  });

  it.each([
    [0, 0, 0, 0],
    [0, 1, 2, 3],
    [1, 1, 2, 2],
  ])('equals log(2N − 1) for identical embeddings (labels %j)', (...labels) => {
    const vector = new SeededNormal(4).matrix(1, 8)[0]!;
    const z = labels.map(() => [...vector]);

    for (const temperature of [0.01, 0.07, 1]) {
      expect(evaluateValue(lossWith(labels, temperature), [z, z])).toBeCloseTo(Math.log(7), 4);
    }
  });

  it('gives a finite loss and gradient when a class appears once', () => {
    const random = new SeededNormal(21);
    const inputs = [random.matrix(4, 5), random.matrix(4, 5)];
    const labels = [8, 2, 2, 5];

    const { value, gradients } = evaluate(lossWith(labels, 0.1), inputs);

    expect(value).toBeCloseTo(naiveSupCon(inputs[0]!, inputs[1]!, labels, 0.1), 5);
    expect(allFinite(gradients)).toBe(true);
  });

  it('depends only on which labels are equal', () => {
    const random = new SeededNormal(8);
    const inputs = [random.matrix(5, 4), random.matrix(5, 4)];

    const small = evaluateValue(lossWith([0, 1, 0, 2, 1], 0.2), inputs);
    const large = evaluateValue(lossWith([-7, 2147483647, -7, 40, 2147483647], 0.2), inputs);

    expect(large).toBe(small);
  });

  it.each([0.07, 0.01])('stays finite and accurate at τ=%f with norms near 1e3', (temperature) => {
    const random = new SeededNormal(99);
    const uniform = () => random.uniform();
    const anchors = random.matrix(8, 16);
    // Classes of near-duplicate rows put positives and negatives close to 1/τ.
    const z1 = withRowNorms(
      perturbed(anchors, 0.05, () => random.normal()),
      1e3,
      uniform,
    );
    const z2 = withRowNorms(
      perturbed(anchors, 0.05, () => random.normal()),
      1e3,
      uniform,
    );
    const labels = [0, 0, 1, 1, 2, 2, 3, 4];

    const { value, gradients } = evaluate(lossWith(labels, temperature), [z1, z2]);
    const expected = numericalGradients(
      ([a, b]) => naiveSupCon(a!, b!, labels, temperature),
      [z1, z2],
    );

    expect(Number.isFinite(value)).toBe(true);
    expect(allFinite(gradients)).toBe(true);
    expect(Math.abs(value - naiveSupCon(z1, z2, labels, temperature))).toBeLessThan(1e-4);
    expectGradientsClose(gradients, expected, 1e-4);
  });

  it.each([
    {
      label: 'views of different shapes',
      shapes: [
        [4, 3],
        [4, 2],
      ],
      labels: [4],
      message: /z1 and z2 must have the same shape.*got \[4, 3\] and \[4, 2\]/,
    },
    {
      label: 'N = 1',
      shapes: [
        [1, 3],
        [1, 3],
      ],
      labels: [1],
      message: /at least 2 rows \(N ≥ 2\).*got shape \[1, 3\]/,
    },
    {
      label: 'labels of another length',
      shapes: [
        [4, 3],
        [4, 3],
      ],
      labels: [5],
      message: /labels must have shape \[N\] = \[4\] to match z1 of shape \[4, 3\], got \[5\]/,
    },
    {
      label: 'labels of rank 2',
      shapes: [
        [4, 3],
        [4, 3],
      ],
      labels: [4, 1],
      message: /labels must have shape \[N\] = \[4\].*got \[4, 1\]/,
    },
  ])('rejects $label', ({ shapes, labels, message }) => {
    // Some shapes are invalid, so the tensors are cast to reach the runtime checks.
    const tensors = shapes.map((shape): tf.Tensor => tf.zeros(shape));
    const [z1, z2] = tensors as tf.Tensor2D[];
    const labelTensor: tf.Tensor = tf.zeros(labels, 'int32');

    expect(() => supConLoss(z1!, z2!, labelTensor as tf.Tensor1D)).toThrow(message);
    tf.dispose([...tensors, labelTensor]);
  });

  it('rejects float32 labels', () => {
    const z = tf.ones([3, 2]) as tf.Tensor2D;
    const labels = tf.tensor1d([0, 1, 0]);

    expect(() => supConLoss(z, z, labels)).toThrow(
      /labels must have dtype int32, got float32\. Convert it with tf\.cast\(labels, 'int32'\)/,
    );
    tf.dispose([z, labels]);
  });

  it.each([0, -0.1, Number.POSITIVE_INFINITY])('rejects temperature %f', (temperature) => {
    const z = tf.ones([3, 2]) as tf.Tensor2D;
    const labels = tf.tensor1d([0, 1, 0], 'int32');

    expect(() => supConLoss(z, z, labels, { temperature })).toThrow(
      `supConLoss: temperature must be a finite number > 0, got ${temperature}.`,
    );
    tf.dispose([z, labels]);
  });

  it('leaks no tensors', () => {
    const random = new SeededNormal(42);
    const tensors = [tf.tensor2d(random.matrix(5, 4)), tf.tensor2d(random.matrix(5, 4))];
    const labels = tf.tensor1d([0, 1, 0, 1, 2], 'int32');
    const [z1, z2] = tensors as [tf.Tensor2D, tf.Tensor2D];

    expectNoLeaks(() => {
      supConLoss(z1, z2, labels).dispose();
      const loss: LossOfMatrices = (a, b) => supConLoss(a!, b!, labels);
      tf.dispose(tf.grads(asGradientFunction(loss))(tensors));
      expect(() => supConLoss(z1, z2, labels, { temperature: 0 })).toThrow();
    });
    tf.dispose([...tensors, labels]);
  });
});
