import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ntXentLoss } from '../src/index';
import { SeededNormal, centralDifferences, naiveNtXent } from './float64-reference';

const batchSizes = [2, 5, 16];
const dimensions = [3, 8];
const temperatures = [0.1, 0.5, 1];
const cases = batchSizes.flatMap((n) =>
  dimensions.flatMap((d) => temperatures.map((temperature) => ({ n, d, temperature }))),
);

function computeLoss(z1: number[][], z2: number[][], temperature?: number): number {
  return tf.tidy(() => {
    const options = temperature === undefined ? {} : { temperature };
    return ntXentLoss(tf.tensor2d(z1), tf.tensor2d(z2), options).dataSync()[0]!;
  });
}

function computeGradients(
  z1: number[][],
  z2: number[][],
  temperature: number,
): [number[][], number[][]] {
  return tf.tidy(() => {
    const lossOf = (a: tf.Tensor, b: tf.Tensor) =>
      ntXentLoss(a as tf.Tensor2D, b as tf.Tensor2D, { temperature });
    const [g1, g2] = tf.grads(lossOf)([tf.tensor2d(z1), tf.tensor2d(z2)]);
    return [g1!.arraySync() as number[][], g2!.arraySync() as number[][]];
  });
}

function maxAbsoluteError(actual: number[][], expected: number[][]): number {
  let worst = 0;
  actual.forEach((row, i) =>
    row.forEach((value, j) => {
      worst = Math.max(worst, Math.abs(value - expected[i]![j]!));
    }),
  );
  return worst;
}

function maxAbsoluteValue(matrix: number[][]): number {
  return Math.max(...matrix.flat().map(Math.abs));
}

function scaleRows(matrix: number[][], factors: number[]): number[][] {
  return matrix.map((row, i) => row.map((v) => Math.fround(v * factors[i]!)));
}

describe('ntXentLoss', () => {
  it.each(cases)(
    'matches float64 reference (N=$n, D=$d, τ=$temperature)',
    ({ n, d, temperature }) => {
      const random = new SeededNormal(1000 * n + 10 * d + temperature * 10);
      const z1 = random.matrix(n, d);
      const z2 = random.matrix(n, d);

      const expected = naiveNtXent(z1, z2, temperature);
      const actual = computeLoss(z1, z2, temperature);

      expect(Math.abs(actual - expected)).toBeLessThan(2e-6 * Math.max(1, expected));
    },
  );

  it.each(cases)(
    'gradient matches central differences (N=$n, D=$d, τ=$temperature)',
    ({ n, d, temperature }) => {
      const random = new SeededNormal(7 + 1000 * n + 10 * d + temperature * 10);
      const z1 = random.matrix(n, d);
      const z2 = random.matrix(n, d);

      const expected1 = centralDifferences((x) => naiveNtXent(x, z2, temperature), z1, 1e-6);
      const expected2 = centralDifferences((x) => naiveNtXent(z1, x, temperature), z2, 1e-6);
      const [actual1, actual2] = computeGradients(z1, z2, temperature);

      const scale = Math.max(maxAbsoluteValue(expected1), maxAbsoluteValue(expected2));
      expect(maxAbsoluteError(actual1, expected1)).toBeLessThan(1e-5 * scale);
      expect(maxAbsoluteError(actual2, expected2)).toBeLessThan(1e-5 * scale);
    },
  );

  it('uses temperature 0.5 by default', () => {
    const random = new SeededNormal(3);
    const z1 = random.matrix(4, 6);
    const z2 = random.matrix(4, 6);

    expect(computeLoss(z1, z2)).toBe(computeLoss(z1, z2, 0.5));
    expect(computeLoss(z1, z2)).toBeCloseTo(naiveNtXent(z1, z2, 0.5), 5);
  });

  it.each(batchSizes)('is invariant to positive row scales (N=%i)', (n) => {
    const random = new SeededNormal(11 * n);
    const z1 = random.matrix(n, 8);
    const z2 = random.matrix(n, 8);
    const logUniformFactor = () => 10 ** (5 * random.uniform() - 2);
    const factors1 = Array.from({ length: n }, logUniformFactor);
    const factors2 = Array.from({ length: n }, logUniformFactor);

    const original = computeLoss(z1, z2, 0.2);
    const rescaled = computeLoss(scaleRows(z1, factors1), scaleRows(z2, factors2), 0.2);

    expect(Math.abs(rescaled - original)).toBeLessThan(1e-5);
  });

  it.each(batchSizes)('equals log(2N − 1) for identical embeddings (N=%i)', (n) => {
    const vector = new SeededNormal(5 * n).matrix(1, 8)[0]!;
    const z = Array.from({ length: n }, () => [...vector]);

    for (const temperature of temperatures) {
      expect(computeLoss(z, z, temperature)).toBeCloseTo(Math.log(2 * n - 1), 5);
    }
  });

  it.each([0.05, 0.01, 0.005])('stays finite at τ=%f with norms near 1e3', (temperature) => {
    const random = new SeededNormal(99);
    const toNormNear1e3 = (row: number[]) => {
      const norm = Math.hypot(...row);
      const target = 1e3 * (0.5 + random.uniform());
      return row.map((v) => Math.fround((v / norm) * target));
    };
    // Nearly aligned positives make the positive logit close to 1/τ, the hardest case for exp().
    const z1 = random.matrix(8, 16).map(toNormNear1e3);
    const z2 = z1.map((row) => toNormNear1e3(row.map((v) => v + 20 * random.normal())));

    const loss = computeLoss(z1, z2, temperature);
    const [gradient1, gradient2] = computeGradients(z1, z2, temperature);

    expect(Number.isFinite(loss)).toBe(true);
    expect(Math.abs(loss - naiveNtXent(z1, z2, temperature))).toBeLessThan(1e-4);
    expect(gradient1.flat().every(Number.isFinite)).toBe(true);
    expect(gradient2.flat().every(Number.isFinite)).toBe(true);
  });

  it('gives finite loss and gradient for zero rows', () => {
    const z1 = [
      [0, 0, 0],
      [1, 2, 3],
    ];
    const z2 = [
      [0.5, -1, 2],
      [0, 0, 0],
    ];

    const loss = computeLoss(z1, z2);
    const [gradient1, gradient2] = computeGradients(z1, z2, 0.5);

    expect(Number.isFinite(loss)).toBe(true);
    expect(gradient1.flat().every(Number.isFinite)).toBe(true);
    expect(gradient2.flat().every(Number.isFinite)).toBe(true);
  });

  it.each([
    {
      label: 'rank 1 z1',
      z1: [4],
      z2: [4, 3],
      message: /z1 must have rank 2.*got rank 1 with shape \[4\]/,
    },
    {
      label: 'rank 3 z2',
      z1: [4, 3],
      z2: [4, 3, 1],
      message: /z2 must have rank 2.*got rank 3 with shape \[4, 3, 1\]/,
    },
    {
      label: 'different N',
      z1: [4, 3],
      z2: [5, 3],
      message: /same shape.*got \[4, 3\] and \[5, 3\]/,
    },
    {
      label: 'different D',
      z1: [4, 3],
      z2: [4, 2],
      message: /same shape.*got \[4, 3\] and \[4, 2\]/,
    },
    { label: 'N = 1', z1: [1, 3], z2: [1, 3], message: /at least 2 rows.*got shape \[1, 3\]/ },
    { label: 'D = 0', z1: [4, 0], z2: [4, 0], message: /at least 1 column.*got shape \[4, 0\]/ },
  ])('rejects $label', ({ z1, z2, message }) => {
    // Some shapes are not rank 2, so the tensors are cast to reach the runtime checks.
    const a: tf.Tensor = tf.zeros(z1);
    const b: tf.Tensor = tf.zeros(z2);

    expect(() => ntXentLoss(a as tf.Tensor2D, b as tf.Tensor2D)).toThrow(message);
    tf.dispose([a, b]);
  });

  it('rejects int32 inputs', () => {
    const a = tf.zeros([4, 3], 'int32') as tf.Tensor2D;
    const b = tf.zeros([4, 3]) as tf.Tensor2D;

    expect(() => ntXentLoss(a, b)).toThrow(/z1 must have dtype float32, got int32/);
    tf.dispose([a, b]);
  });

  it.each([0, -0.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects temperature %f',
    (temperature) => {
      const a = tf.ones([4, 3]) as tf.Tensor2D;

      expect(() => ntXentLoss(a, a, { temperature })).toThrow(
        `ntXentLoss: temperature must be a finite number > 0, got ${temperature}.`,
      );
      a.dispose();
    },
  );

  it('leaks no tensors', () => {
    const random = new SeededNormal(42);
    const z1 = tf.tensor2d(random.matrix(5, 4));
    const z2 = tf.tensor2d(random.matrix(5, 4));
    const before = tf.memory().numTensors;

    ntXentLoss(z1, z2).dispose();
    const gradients = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      ntXentLoss(a as tf.Tensor2D, b as tf.Tensor2D),
    )([z1, z2]);
    tf.dispose(gradients);
    expect(() => ntXentLoss(z1, z2, { temperature: 0 })).toThrow();

    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([z1, z2]);
  });
});
