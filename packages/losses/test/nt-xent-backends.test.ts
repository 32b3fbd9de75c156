import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ntXentLoss } from '../src/index';
import { SeededNormal, centralDifferences, naiveNtXent } from './float64-reference';

interface LossAndGradients {
  loss: number;
  gradient1: number[];
  gradient2: number[];
}

function computeOn(
  backend: string,
  z1: number[][],
  z2: number[][],
  temperature: number,
): Promise<LossAndGradients> {
  return tf.setBackend(backend).then(() =>
    tf.tidy(() => {
      const a = tf.tensor2d(z1);
      const b = tf.tensor2d(z2);
      const lossOf = (x: tf.Tensor, y: tf.Tensor) =>
        ntXentLoss(x as tf.Tensor2D, y as tf.Tensor2D, { temperature });
      const [gradient1, gradient2] = tf.grads(lossOf)([a, b]);
      return {
        loss: ntXentLoss(a, b, { temperature }).dataSync()[0]!,
        gradient1: Array.from(gradient1!.dataSync()),
        gradient2: Array.from(gradient2!.dataSync()),
      };
    }),
  );
}

function maxAbsoluteDifference(a: number[], b: number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
}

describe('ntXentLoss on cpu and wasm', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([
    { n: 2, d: 3, temperature: 0.1 },
    { n: 5, d: 8, temperature: 0.5 },
    { n: 16, d: 8, temperature: 1 },
    { n: 16, d: 32, temperature: 0.05 },
  ])('agree within 1e-5 (N=$n, D=$d, τ=$temperature)', async ({ n, d, temperature }) => {
    const random = new SeededNormal(31 * n + d);
    const z1 = random.matrix(n, d);
    const z2 = random.matrix(n, d);

    const onCpu = await computeOn('cpu', z1, z2, temperature);
    const onWasm = await computeOn('wasm', z1, z2, temperature);

    expect(Math.abs(onWasm.loss - onCpu.loss)).toBeLessThan(1e-5);
    expect(maxAbsoluteDifference(onWasm.gradient1, onCpu.gradient1)).toBeLessThan(1e-5);
    expect(maxAbsoluteDifference(onWasm.gradient2, onCpu.gradient2)).toBeLessThan(1e-5);
  });

  it('wasm gradient matches central differences', async () => {
    const random = new SeededNormal(8);
    const z1 = random.matrix(6, 5);
    const z2 = random.matrix(6, 5);

    const onWasm = await computeOn('wasm', z1, z2, 0.2);
    const expected1 = centralDifferences((x) => naiveNtXent(x, z2, 0.2), z1, 1e-6).flat();
    const expected2 = centralDifferences((x) => naiveNtXent(z1, x, 0.2), z2, 1e-6).flat();

    expect(tf.getBackend()).toBe('wasm');
    expect(Math.abs(onWasm.loss - naiveNtXent(z1, z2, 0.2))).toBeLessThan(1e-5);
    expect(maxAbsoluteDifference(onWasm.gradient1, expected1)).toBeLessThan(1e-5);
    expect(maxAbsoluteDifference(onWasm.gradient2, expected2)).toBeLessThan(1e-5);
  });

  it('leaks no tensors on wasm', async () => {
    await tf.setBackend('wasm');
    const random = new SeededNormal(9);
    const z1 = tf.tensor2d(random.matrix(4, 3));
    const z2 = tf.tensor2d(random.matrix(4, 3));
    const before = tf.memory().numTensors;

    ntXentLoss(z1, z2).dispose();
    tf.dispose(
      tf.grads((a: tf.Tensor, b: tf.Tensor) => ntXentLoss(a as tf.Tensor2D, b as tf.Tensor2D))([
        z1,
        z2,
      ]),
    );

    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([z1, z2]);
  });
});
