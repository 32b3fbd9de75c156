import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm, FUSED_BATCH_NORM_KERNELS, type ReplicaGroup } from '@simclr-ts/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUSED_BATCH_NORM_KERNEL_NAMES, registerWasmTrainingKernels } from '../src/index';

/** A group of two whose other replica contains this replica's rows (see the models tests). */
const mirroredPair: ReplicaGroup = {
  rank: 0,
  size: 2,
  allGather: (values) => [values.slice(), values.slice()],
  allReduceSum: (values) => values.map((value) => 2 * value),
};

interface Case {
  relu: boolean;
  replicas?: ReplicaGroup;
  shape: number[];
  offset: number;
  /** Relative tolerance, looser where a large mean costs the float32 op path precision. */
  tolerance?: number;
}

/** Runs a BatchNorm forward and backward pass and returns every result as arrays. */
function runLayer(useFusedKernels: boolean, { relu, replicas, shape, offset }: Case) {
  const channels = shape[shape.length - 1]!;
  const layer = new BatchNorm({ channels, useFusedKernels });
  layer.gamma.assign(tf.randomNormal([channels], 1, 0.5, 'float32', 1));
  layer.beta.assign(tf.randomNormal([channels], 0, 0.5, 'float32', 2));
  const x = tf.tidy(() => tf.add(tf.randomNormal(shape, 0, 2, 'float32', 3), offset));
  const upstream = tf.randomNormal(shape, 0, 1, 'float32', 4);
  const options = { training: true, replicas };
  const forward = (input: tf.Tensor) =>
    relu ? layer.applyRelu(input, options) : layer.apply(input, options);
  const loss = (input: tf.Tensor) => tf.sum(tf.mul(forward(input), upstream)) as tf.Scalar;

  const y = forward(x);
  const dx = tf.grad(loss)(x);
  const { grads } = tf.variableGrads(() => loss(x), [layer.gamma, layer.beta]);
  const result = {
    y: y.dataSync(),
    dx: dx.dataSync(),
    dGamma: grads[layer.gamma.name]!.dataSync(),
    dBeta: grads[layer.beta.name]!.dataSync(),
    runningMean: layer.runningMean.dataSync(),
    runningVariance: layer.runningVariance.dataSync(),
  };
  tf.dispose([x, upstream, y, dx, ...Object.values(grads)]);
  layer.dispose();
  return result;
}

function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  name: string,
  tolerance = 2e-5,
) {
  let scale = 0;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    difference = Math.max(difference, Math.abs(actual[i]! - expected[i]!));
  }
  expect(actual.length, name).toBe(expected.length);
  expect(difference, name).toBeLessThanOrEqual(tolerance * Math.max(scale, 1));
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('BatchNorm on the fused wasm kernels', () => {
  it('uses the kernel names that models looks up', () => {
    expect(FUSED_BATCH_NORM_KERNEL_NAMES).toEqual(FUSED_BATCH_NORM_KERNELS);
  });

  it.each<[string, Case]>([
    ['4-D', { relu: false, shape: [6, 5, 5, 16], offset: 0 }],
    ['4-D with ReLU', { relu: true, shape: [6, 5, 5, 16], offset: 0 }],
    ['2-D with a large mean', { relu: true, shape: [40, 128], offset: 300, tolerance: 1e-4 }],
    ['across replicas', { relu: true, replicas: mirroredPair, shape: [4, 3, 3, 8], offset: 1 }],
  ])('matches the tfjs-op path: %s', (_, testCase) => {
    const fused = runLayer(true, testCase);
    const plain = runLayer(false, testCase);
    for (const key of Object.keys(plain) as Array<keyof typeof plain>) {
      expectClose(fused[key], plain[key], key, testCase.tolerance);
    }
  });

  it('falls back for channels that are not a multiple of 4', () => {
    const result = runLayer(true, { relu: true, shape: [5, 3], offset: 0 });
    const plain = runLayer(false, { relu: true, shape: [5, 3], offset: 0 });
    expectClose(result.dx, plain.dx, 'dx');
  });

  it('keeps the tensor count flat', () => {
    const layer = new BatchNorm({ channels: 8 });
    const x = tf.randomNormal([10, 8]);
    const step = () =>
      tf.dispose(
        tf.grad((input: tf.Tensor) => tf.sum(layer.applyRelu(input, { training: true })))(x),
      );
    step();
    const before = tf.memory().numTensors;
    step();
    step();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    layer.dispose();
  });
});
