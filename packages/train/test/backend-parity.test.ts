import * as tf from '@tensorflow/tfjs-core';
import { registerWasmTrainingKernels } from '@simclr-ts/backends';
import { ProjectionHead, createResNetEncoder, readWeights } from '@simclr-ts/models';
import { afterAll, describe, expect, it } from 'vitest';
import { SimclrTrainer, gatherImages } from '../src/index';
import { stripedDataset } from './synthetic';

/** Runs one SimCLR step of the `small` encoder on `backend`; returns the losses and weight updates. */
async function oneStep(backend: string) {
  await tf.setBackend(backend);
  const encoder = createResNetEncoder('small', { seed: 11 });
  const head = new ProjectionHead({ inputDim: encoder.featureDim, seed: 12 });
  // SGD, not Adam: Adam scales tiny gradients up to steps of the learning rate,
  // so rounding differences between backends would grow into visible ones.
  const trainer = new SimclrTrainer({
    encoder,
    head,
    learningRate: 0.05,
    optimizer: 'sgd',
    seed: 13,
  });
  const images = gatherImages(stripedDataset(8, 32, 4), [0, 1, 2, 3, 4, 5, 6, 7]);
  const initial = await readWeights(encoder);
  const losses = [await trainer.step(images)];
  const weights = await readWeights(encoder);
  images.dispose();
  encoder.dispose();
  head.dispose();
  trainer.optimizer.dispose();
  const updates = weights.map((array, index) => ({
    name: array.name,
    values: array.values.map((value, i) => value - initial[index]!.values[i]!),
  }));
  return { losses, updates };
}

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('SimCLR step on wasm', () => {
  it('matches the cpu backend', async () => {
    registerWasmTrainingKernels();
    const cpu = await oneStep('cpu');
    const wasm = await oneStep('wasm');

    expect(wasm.losses[0]).toBeCloseTo(cpu.losses[0]!, 4);

    // Measured: the updates of the two backends differ by at most 0.8% of
    // their size (BatchNorm biases of the last stage). Float32 sums over
    // 16,384 values in a different order, and the cancellation in BatchNorm's
    // backward pass, account for it. A wrong kernel would differ by far more.
    for (const [index, update] of cpu.updates.entries()) {
      const other = wasm.updates[index]!;
      let differenceSquared = 0;
      let sizeSquared = 0;
      for (let i = 0; i < update.values.length; i++) {
        differenceSquared += (update.values[i]! - other.values[i]!) ** 2;
        sizeSquared += update.values[i]! ** 2;
      }
      if (sizeSquared > 0) {
        expect(Math.sqrt(differenceSquared / sizeSquared), update.name).toBeLessThan(2e-2);
      }
    }
  });
});
