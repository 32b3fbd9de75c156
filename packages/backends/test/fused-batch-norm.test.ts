import * as tf from '@tensorflow/tfjs-core';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { FUSED_BATCH_NORM_KERNEL_NAMES as NAMES, registerWasmTrainingKernels } from '../src/index';

// References in float64 from the definitions, on the same float32 inputs.
function reference(rows: number, channels: number, values: Float32Array) {
  const mean = new Float64Array(channels);
  const m2 = new Float64Array(channels);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < channels; c++) mean[c]! += values[r * channels + c]! / rows;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < channels; c++) m2[c]! += (values[r * channels + c]! - mean[c]!) ** 2;
  return { mean, m2 };
}

function randomMatrix(rows: number, channels: number, seed: number, offset = 0) {
  return tf.tidy(() =>
    tf.add(tf.randomNormal([rows, channels], 0, 1, 'float32', seed), offset),
  ) as tf.Tensor2D;
}

function run(name: string, inputs: tf.NamedTensorMap, attrs = {}): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs) as tf.Tensor;
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('fused BatchNorm kernels on wasm', () => {
  it('matches the committed module to the .wat source', () => {
    const script = fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url));
    expect(() =>
      execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it.each([
    [1, 4, 0],
    [7, 8, 0],
    [3000, 16, 0],
    [513, 128, 1000],
  ])('computes moments of %d × %d rows around %d', (rows, channels, offset) => {
    const x = randomMatrix(rows, channels, rows, offset);
    const expected = reference(rows, channels, x.dataSync() as Float32Array);
    const moments = run(NAMES.moments, { x });
    const values = moments.dataSync();
    expect(moments.shape).toEqual([2, channels]);
    for (let c = 0; c < channels; c++) {
      expect(values[c]).toBeCloseTo(expected.mean[c]!, 3);
      expect(Math.abs(values[channels + c]! - expected.m2[c]!)).toBeLessThanOrEqual(
        1e-5 * (expected.m2[c]! + 1),
      );
    }
    tf.dispose([x, moments]);
  });

  it.each([false, true])('scales and shifts with relu %s', (relu) => {
    const x = randomMatrix(5, 8, 1);
    const scale = tf.randomNormal([8], 0, 1, 'float32', 2);
    const shift = tf.randomNormal([8], 0, 1, 'float32', 3);
    const y = run(NAMES.scaleShift, { x, scale, shift }, { relu });
    const plain = tf.add(tf.mul(x, scale), shift);
    const expected = relu ? tf.relu(plain) : plain;
    expect(Array.from(y.dataSync())).toEqual(
      Array.from(expected.dataSync()).map((value) => Math.fround(value)),
    );
    tf.dispose([x, scale, shift, y, plain, expected]);
  });

  it.each([false, true])('sums and applies the gradient with relu %s', (relu) => {
    const [rows, channels] = [33, 12];
    const dy = randomMatrix(rows, channels, 4);
    const x = randomMatrix(rows, channels, 5);
    const y = randomMatrix(rows, channels, 6);
    const mean = tf.randomNormal([channels], 0, 1, 'float32', 7);
    const [k1, k2, k3] = [8, 9, 10].map((seed) =>
      tf.randomNormal([channels], 0, 1, 'float32', seed),
    );
    const inputs: tf.NamedTensorMap = relu ? { dy, x, y, mean } : { dy, x, mean };

    const gate = tf.tidy(() =>
      relu ? tf.mul(dy, tf.cast(tf.greater(y, 0), 'float32')) : dy.clone(),
    );
    const centered = tf.sub(x, mean);
    const expectedSums = tf.stack([tf.sum(gate, 0), tf.sum(tf.mul(gate, centered), 0)]);
    const sums = run(NAMES.gradSums, inputs, { relu });
    const sumValues = sums.dataSync();
    Array.from(expectedSums.dataSync()).forEach((value, i) =>
      expect(sumValues[i]).toBeCloseTo(value, 4),
    );

    const expectedDx = tf.add(tf.add(tf.mul(gate, k1!), tf.mul(centered, k2!)), k3!);
    const dx = run(NAMES.gradInput, { ...inputs, k1: k1!, k2: k2!, k3: k3! }, { relu });
    const dxValues = dx.dataSync();
    Array.from(expectedDx.dataSync()).forEach((value, i) =>
      expect(dxValues[i]).toBeCloseTo(value, 5),
    );
    tf.dispose([dy, x, y, mean, k1!, k2!, k3!, gate, centered, expectedSums, sums, expectedDx, dx]);
  });

  it('rejects channels that are not a multiple of 4', () => {
    const x = tf.zeros([2, 3]);
    expect(() => run(NAMES.moments, { x })).toThrow(
      /channels a multiple of 4, but got float32 \[2,3\]/,
    );
    x.dispose();
  });

  it('keeps the tensor count flat', () => {
    const x = randomMatrix(64, 16, 11);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.dispose(run(NAMES.moments, { x }));
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
