import * as tf from '@tensorflow/tfjs-core';
import { ProjectionHead, createResNetEncoder } from '@simclr-ts/models';
import { describe, expect, it } from 'vitest';
import {
  SimclrTrainer,
  captureTrainingState,
  gatherImages,
  pretrainSimclr,
  restoreTrainingState,
  type StepProgress,
  type TrainingPosition,
} from '../src/index';
import { stripedDataset } from './synthetic';

const tiny = { stemWidth: 8, widths: [8, 16], blocks: [1, 1] };

function createTrainer(seed = 0, learningRate = 1e-2) {
  const encoder = createResNetEncoder(tiny, { seed });
  const head = new ProjectionHead({ inputDim: encoder.featureDim, outputDim: 16, seed: seed + 1 });
  // Crops stay large so that the tiny images keep their stripes.
  return new SimclrTrainer({ encoder, head, learningRate, seed, augment: { cropScale: [0.5, 1] } });
}

function dispose(trainer: SimclrTrainer) {
  trainer.encoder.dispose();
  trainer.head.dispose();
  trainer.optimizer.dispose();
}

describe('SimclrTrainer', () => {
  it('lowers the loss on a tiny synthetic set', async () => {
    const dataset = stripedDataset(32, 12, 4);
    const trainer = createTrainer(3);
    const losses: number[] = [];
    await pretrainSimclr(trainer, dataset, {
      epochs: 12,
      batchSize: 16,
      learningRate: 1e-2,
      onStep: (progress: StepProgress) => losses.push(progress.loss),
    });
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const first = mean(losses.slice(0, 4));
    const last = mean(losses.slice(-4));
    // log(2N − 1) = log(31) ≈ 3.43 is the loss of embeddings that carry no information.
    expect(first).toBeGreaterThan(3);
    expect(last).toBeLessThan(first - 0.3);
    dispose(trainer);
  });

  it('keeps the tensor count flat across steps', async () => {
    const dataset = stripedDataset(16, 8, 2);
    const trainer = createTrainer(4);
    const images = gatherImages(
      dataset,
      Array.from({ length: 8 }, (_, i) => i),
    );
    // The first step creates the optimizer's slots.
    await trainer.step(images);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await trainer.step(images);
    }
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
    dispose(trainer);
  });

  it('gives the same losses under the same seed', async () => {
    const dataset = stripedDataset(16, 8, 2);
    const run = async () => {
      const trainer = createTrainer(5);
      const losses: number[] = [];
      await pretrainSimclr(trainer, dataset, {
        epochs: 2,
        batchSize: 8,
        learningRate: 1e-2,
        onStep: (p) => losses.push(p.loss),
      });
      dispose(trainer);
      return losses;
    };
    expect(await run()).toEqual(await run());
  });

  it('resumes from a captured state with identical losses', async () => {
    const dataset = stripedDataset(16, 8, 2);
    const options = { batchSize: 8, learningRate: 1e-2 };

    const straight = createTrainer(6);
    const straightLosses: number[] = [];
    await pretrainSimclr(straight, dataset, {
      ...options,
      epochs: 2,
      onStep: (p) => straightLosses.push(p.loss),
    });
    dispose(straight);

    // The first run has the same schedule but stops after its first epoch.
    const first = createTrainer(6);
    const resumedLosses: number[] = [];
    const controller = new AbortController();
    let state: Awaited<ReturnType<typeof captureTrainingState>> | undefined;
    await pretrainSimclr(first, dataset, {
      ...options,
      epochs: 2,
      signal: controller.signal,
      onStep: (p) => resumedLosses.push(p.loss),
      onEpochEnd: async () => {
        state = await captureTrainingState(first, { epoch: '1' });
        controller.abort();
      },
    });
    dispose(first);

    const second = createTrainer(99);
    await restoreTrainingState(second, state!);
    await pretrainSimclr(second, dataset, {
      ...options,
      epochs: 2,
      startEpoch: 1,
      onStep: (p) => resumedLosses.push(p.loss),
    });
    dispose(second);

    expect(resumedLosses).toHaveLength(straightLosses.length);
    resumedLosses.forEach((loss, i) => expect(loss).toBeCloseTo(straightLosses[i]!, 5));
  });

  it('resumes inside an epoch with identical losses', async () => {
    const dataset = stripedDataset(24, 8, 2);
    const options = { batchSize: 6, learningRate: 1e-2, epochs: 2 };

    const straight = createTrainer(6);
    const straightLosses: number[] = [];
    await pretrainSimclr(straight, dataset, {
      ...options,
      onStep: (p) => straightLosses.push(p.loss),
    });
    dispose(straight);

    // Stops after the second of four steps of the first epoch.
    const first = createTrainer(6);
    const resumedLosses: number[] = [];
    const controller = new AbortController();
    let position: TrainingPosition | undefined;
    await pretrainSimclr(first, dataset, {
      ...options,
      signal: controller.signal,
      onStep: (p) => {
        resumedLosses.push(p.loss);
        position = {
          epoch: p.epoch,
          step: p.step,
          epochShuffleState: p.epochShuffleState,
          epochLossSum: p.epochLossSum,
        };
        if (p.globalStep === 2) {
          controller.abort();
        }
      },
    });
    const state = await captureTrainingState(first);
    dispose(first);

    const second = createTrainer(99);
    await restoreTrainingState(second, state);
    const resumed = await pretrainSimclr(second, dataset, {
      ...options,
      resumeFrom: position,
      onStep: (p) => resumedLosses.push(p.loss),
    });
    dispose(second);

    // tfjs's Adam recomputes β^t from the step count on restore, so the losses agree
    // to rounding, not bit for bit.
    expect(position).toMatchObject({ epoch: 0, step: 2 });
    expect(resumedLosses).toHaveLength(straightLosses.length);
    resumedLosses.forEach((loss, i) => expect(loss).toBeCloseTo(straightLosses[i]!, 5));
    // The first epoch's mean covers its steps before and after the resume.
    const firstEpoch = straightLosses.slice(0, 4).reduce((sum, loss) => sum + loss, 0) / 4;
    expect(resumed.epochs[0]!.meanLoss).toBeCloseTo(firstEpoch, 5);
  });

  it('stops when the signal aborts', async () => {
    const dataset = stripedDataset(32, 8, 2);
    const trainer = createTrainer(7);
    const controller = new AbortController();
    let steps = 0;
    const result = await pretrainSimclr(trainer, dataset, {
      epochs: 3,
      batchSize: 8,
      learningRate: 1e-2,
      signal: controller.signal,
      onStep: () => {
        steps += 1;
        if (steps === 2) {
          controller.abort();
        }
      },
    });
    expect(result.aborted).toBe(true);
    expect(steps).toBe(2);
    dispose(trainer);
  });

  it('rejects a batch larger than the dataset', async () => {
    const trainer = createTrainer();
    await expect(
      pretrainSimclr(trainer, stripedDataset(4, 8, 2), {
        epochs: 1,
        batchSize: 8,
        learningRate: 1e-2,
      }),
    ).rejects.toThrow(/batch size 8.*from 2 to 4/);
    dispose(trainer);
  });
});
