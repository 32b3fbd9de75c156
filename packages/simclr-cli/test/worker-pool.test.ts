import * as tf from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '@simclr-ts/backends';
import { readWeights } from '@simclr-ts/models';
import { createPretrainTrainer } from '../src/pretrain-model';
import { CIFAR10_CPU, type PretrainConfig } from '../src/presets';
import { WorkerPoolTrainer } from '../src/replica/worker-pool-trainer';

// The workers run the built worker bundle, as the CLI does.
const workerScript = fileURLToPath(new URL('../dist/replica-worker.cjs', import.meta.url));
// SGD, because Adam's first update, lr·sign(g), turns rounding noise in near-zero
// gradients into whole steps and would hide a wrongly scaled gradient. 16×16 images
// keep the cpu backend fast enough.
const config: PretrainConfig = {
  ...CIFAR10_CPU,
  batchSize: 7,
  optimizer: 'sgd',
  learningRate: 0.05,
};

function images(seed: number): tf.Tensor4D {
  return tf.randomUniform([7, 16, 16, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
}

async function startPool(backend: string, workers = 2) {
  const { trainer, head } = createPretrainTrainer(config);
  const pool = await WorkerPoolTrainer.start(trainer, {
    workers,
    config,
    embeddingDim: head.outputDim,
    backend,
    workerScript,
  });
  return { trainer, pool };
}

afterEach(async () => {
  await tf.setBackend('cpu');
});

describe('WorkerPoolTrainer', () => {
  // On cpu the pool and a single trainer add in nearly the same order, so three steps
  // agree closely. Across backends, and on wasm across batch splits, rounding
  // differences of 1e-7 grow within a few steps to percents in near-zero BatchNorm
  // biases, so the wasm test below compares one step.
  it('matches a single trainer on the whole batch', async () => {
    const single = createPretrainTrainer(config).trainer;
    const { trainer, pool } = await startPool('cpu');
    try {
      for (const seed of [1, 2, 3]) {
        const batch = images(seed);
        const expected = await single.step(batch);
        const actual = await pool.step(batch);
        batch.dispose();
        expect(Math.abs(actual - expected)).toBeLessThan(1e-5 * expected);
      }
      await pool.pull();
    } finally {
      await pool.close();
    }

    expect(trainer.stepCount).toBe(3);
    const reference = await readWeights(single.encoder);
    const pooled = await readWeights(trainer.encoder);
    expect(pooled.map((array) => array.name)).toEqual(reference.map((array) => array.name));
    for (const [index, array] of pooled.entries()) {
      const other = reference[index]!.values;
      let scale = 0;
      let difference = 0;
      for (const [i, value] of array.values.entries()) {
        scale = Math.max(scale, Math.abs(other[i]!));
        difference = Math.max(difference, Math.abs(value - other[i]!));
      }
      expect(difference / scale, array.name).toBeLessThan(1e-2);
    }
  });

  it('runs the first step on wasm like a single trainer', async () => {
    await tf.setBackend('wasm');
    registerWasmTrainingKernels();
    const single = createPretrainTrainer(config).trainer;
    const { pool } = await startPool('wasm');
    try {
      const batch = images(1);
      const expected = await single.step(batch);
      const actual = await pool.step(batch);
      batch.dispose();
      expect(Math.abs(actual - expected)).toBeLessThan(1e-5 * expected);
    } finally {
      await pool.close();
    }
  });

  it('keeps the host tensor count flat across steps', async () => {
    const { pool } = await startPool('cpu');
    try {
      const batch = images(4);
      await pool.step(batch);
      const before = tf.memory().numTensors;
      await pool.step(batch);
      await pool.step(batch);
      expect(tf.memory().numTensors).toBe(before);
      batch.dispose();
    } finally {
      await pool.close();
    }
  });

  it('rejects a batch smaller than the pool', async () => {
    const { pool } = await startPool('cpu', 3);
    try {
      const batch = tf.randomUniform([2, 16, 16, 3]) as tf.Tensor4D;
      await expect(pool.step(batch)).rejects.toThrow(
        /Invalid batch of 2 images: a step on 3 workers needs at least 3/,
      );
      batch.dispose();
    } finally {
      await pool.close();
    }
  });

  it('reports a worker that fails to start', async () => {
    const { trainer, head } = createPretrainTrainer(config);
    await expect(
      WorkerPoolTrainer.start(trainer, {
        workers: 2,
        config,
        embeddingDim: head.outputDim,
        backend: 'no-such-backend',
        workerScript,
      }),
    ).rejects.toThrow(/no-such-backend/);
  });
});
