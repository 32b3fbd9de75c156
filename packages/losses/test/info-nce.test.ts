import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { infoNceLoss } from '../src/index';
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
import { naiveInfoNce } from './reference/info-nce';

const lossWith =
  (temperature?: number): LossOfMatrices =>
  (query, positiveKey, negatives) =>
    infoNceLoss(query!, positiveKey!, negatives!, temperature === undefined ? {} : { temperature });

const cases = [
  { n: 2, k: 1, d: 3, temperature: 0.07 },
  { n: 2, k: 6, d: 3, temperature: 0.1 },
  { n: 5, k: 7, d: 8, temperature: 0.5 },
  { n: 16, k: 32, d: 8, temperature: 1 },
  { n: 8, k: 12, d: 16, temperature: 0.01 },
];

describe('infoNceLoss', () => {
  it.each(cases)(
    'matches float64 reference (N=$n, K=$k, D=$d, τ=$temperature)',
    ({ n, k, d, temperature }) => {
      const random = new SeededNormal(100 * n + k + d);
      const query = random.matrix(n, d);
      const positiveKey = perturbed(query, 0.5, () => random.normal());
      const negatives = random.matrix(k, d);

      const expected = naiveInfoNce(query, positiveKey, negatives, temperature);
      const actual = evaluateValue(lossWith(temperature), [query, positiveKey, negatives]);

      // float32 rounds each logit by about 1e-7/τ, so the tolerance grows as τ shrinks.
      const tolerance = (1e-6 * Math.max(1, expected)) / Math.min(1, temperature);
      expect(Math.abs(actual - expected)).toBeLessThan(tolerance);
    },
  );

  it.each(cases)(
    'gradient matches central differences (N=$n, K=$k, D=$d, τ=$temperature)',
    ({ n, k, d, temperature }) => {
      const random = new SeededNormal(7 + 100 * n + k + d);
      const inputs = [random.matrix(n, d), random.matrix(n, d), random.matrix(k, d)];

      const { gradients } = evaluate(lossWith(temperature), inputs);
      const expected = numericalGradients(
        ([q, p, negatives]) => naiveInfoNce(q!, p!, negatives!, temperature),
        inputs,
      );

      expectGradientsClose(gradients, expected, 1e-5);
    },
  );

  it('uses temperature 0.07 by default', () => {
    const random = new SeededNormal(3);
    const inputs = [random.matrix(4, 6), random.matrix(4, 6), random.matrix(5, 6)];

    expect(evaluateValue(lossWith(), inputs)).toBe(evaluateValue(lossWith(0.07), inputs));
  });

  it.each([1, 4, 100])('equals log(K + 1) for identical vectors (K=%i)', (k) => {
    const vector = new SeededNormal(k).matrix(1, 8)[0]!;
    const copies = (rows: number) => Array.from({ length: rows }, () => [...vector]);

    for (const temperature of [0.01, 0.07, 1]) {
      const loss = evaluateValue(lossWith(temperature), [copies(3), copies(3), copies(k)]);
      expect(loss).toBeCloseTo(Math.log(k + 1), 4);
    }
  });

  it('ignores other queries of the batch', () => {
    const random = new SeededNormal(12);
    const [query, positiveKey, negatives] = [
      random.matrix(3, 4),
      random.matrix(3, 4),
      random.matrix(5, 4),
    ];
    const batch = evaluateValue(lossWith(0.2), [query, positiveKey, negatives]);
    const oneByOne = query.map((row, i) =>
      evaluateValue(lossWith(0.2), [[row], [positiveKey[i]!], negatives]),
    );

    expect(batch).toBeCloseTo(oneByOne.reduce((s, v) => s + v, 0) / 3, 5);
  });

  it.each([0.07, 0.01])('stays finite and accurate at τ=%f with norms near 1e3', (temperature) => {
    const random = new SeededNormal(99);
    const uniform = () => random.uniform();
    const query = withRowNorms(random.matrix(8, 16), 1e3, uniform);
    // Nearly aligned positives make the positive logit close to 1/τ, the hardest case for
    // exp(). Negatives as close as the positives keep the loss and its gradient far from 0.
    const nearQuery = () =>
      withRowNorms(
        perturbed(query, 20, () => random.normal()),
        1e3,
        uniform,
      );
    const positiveKey = nearQuery();
    const negatives = [...nearQuery(), ...withRowNorms(random.matrix(4, 16), 1e3, uniform)];
    const inputs = [query, positiveKey, negatives];

    const { value, gradients } = evaluate(lossWith(temperature), inputs);
    const expected = numericalGradients(
      ([q, p, n]) => naiveInfoNce(q!, p!, n!, temperature),
      inputs,
    );

    expect(Number.isFinite(value)).toBe(true);
    expect(allFinite(gradients)).toBe(true);
    expect(Math.abs(value - naiveInfoNce(query, positiveKey, negatives, temperature))).toBeLessThan(
      1e-4,
    );
    expectGradientsClose(gradients, expected, 1e-4);
  });

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
      [[0, 0, 0]],
    ];

    const { value, gradients } = evaluate(lossWith(0.1), inputs);

    expect(Number.isFinite(value)).toBe(true);
    expect(allFinite(gradients)).toBe(true);
  });

  it.each([
    {
      label: 'query and key with different N',
      shapes: [
        [4, 3],
        [5, 3],
        [6, 3],
      ],
      message: /query and positiveKey must have the same shape.*got \[4, 3\] and \[5, 3\]/,
    },
    {
      label: 'negatives with another D',
      shapes: [
        [4, 3],
        [4, 3],
        [6, 2],
      ],
      message: /negatives must have the same number of columns D as query.*\[6, 2\].*\[4, 3\]/,
    },
    {
      label: 'no negatives',
      shapes: [
        [4, 3],
        [4, 3],
        [0, 3],
      ],
      message: /negatives must have at least 1 row \(K ≥ 1\).*KeyQueue.*got shape \[0, 3\]/,
    },
    {
      label: 'empty batch',
      shapes: [
        [0, 3],
        [0, 3],
        [6, 3],
      ],
      message: /query and positiveKey must have at least 1 row \(N ≥ 1\), got shape \[0, 3\]/,
    },
    {
      label: 'rank 3 negatives',
      shapes: [
        [4, 3],
        [4, 3],
        [6, 3, 1],
      ],
      message: /negatives must have rank 2.*got rank 3 with shape \[6, 3, 1\]/,
    },
  ])('rejects $label', ({ shapes, message }) => {
    // Some shapes are not rank 2, so the tensors are cast to reach the runtime checks.
    const tensors = shapes.map((shape): tf.Tensor => tf.zeros(shape));
    const [query, positiveKey, negatives] = tensors as tf.Tensor2D[];

    expect(() => infoNceLoss(query!, positiveKey!, negatives!)).toThrow(message);
    tf.dispose(tensors);
  });

  it.each([0, -1, Number.NaN])('rejects temperature %f', (temperature) => {
    const a = tf.ones([2, 3]) as tf.Tensor2D;

    expect(() => infoNceLoss(a, a, a, { temperature })).toThrow(
      `infoNceLoss: temperature must be a finite number > 0, got ${temperature}.`,
    );
    a.dispose();
  });

  it('leaks no tensors', () => {
    const random = new SeededNormal(42);
    const tensors = [random.matrix(5, 4), random.matrix(5, 4), random.matrix(9, 4)].map((m) =>
      tf.tensor2d(m),
    );
    const [query, positiveKey, negatives] = tensors as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];

    expectNoLeaks(() => {
      infoNceLoss(query, positiveKey, negatives).dispose();
      tf.dispose(tf.grads(asGradientFunction(lossWith(0.1)))(tensors));
      expect(() => infoNceLoss(query, positiveKey, negatives, { temperature: 0 })).toThrow();
    });
    tf.dispose(tensors);
  });
});
