import * as tf from '@tensorflow/tfjs-core';
import { ProjectionHead, createResNetEncoder } from '@simclr-ts/models';
import { describe, expect, it } from 'vitest';
import { SimclrTrainer, type OptimizerName } from '../src/index';

const tiny = { stemWidth: 8, widths: [8], blocks: [1] };
const learningRate = 0.1;
const decay = 0.01;

/** Takes one step from the same start with and without weight decay. */
async function stepPair(optimizer: OptimizerName) {
  const images = tf.randomUniform([4, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const runs = [];
  for (const weightDecay of [0, decay]) {
    const encoder = createResNetEncoder(tiny, { seed: 2 });
    const head = new ProjectionHead({ inputDim: encoder.featureDim, outputDim: 8, seed: 3 });
    const before = encoder.namedVariables().map((entry) => entry.variable.dataSync().slice());
    const trainer = new SimclrTrainer({
      encoder,
      head,
      learningRate,
      optimizer,
      weightDecay,
      seed: 4,
    });
    const loss = await trainer.step(images);
    const after = encoder.namedVariables().map((entry) => ({
      name: entry.name,
      rank: entry.variable.rank,
      values: entry.variable.dataSync().slice(),
    }));
    runs.push({ loss, before, after });
    encoder.dispose();
    head.dispose();
    trainer.optimizer.dispose();
  }
  images.dispose();
  return runs as [(typeof runs)[0], (typeof runs)[0]];
}

describe('SimclrTrainer weight decay', () => {
  it('adds λ·w to the SGD gradient of weights', async () => {
    const [plain, decayed] = await stepPair('sgd');
    for (const [index, entry] of decayed.after.entries()) {
      if (entry.rank > 1) {
        entry.values.forEach((value, i) => {
          const expected =
            plain.after[index]!.values[i]! - learningRate * decay * plain.before[index]![i]!;
          expect(value, entry.name).toBeCloseTo(expected, 6);
        });
      }
    }
  });

  it('shrinks weights after the AdamW update', async () => {
    const [plain, decayed] = await stepPair('adamw');
    for (const [index, entry] of decayed.after.entries()) {
      if (entry.rank > 1) {
        entry.values.forEach((value, i) => {
          expect(value, entry.name).toBeCloseTo(
            plain.after[index]!.values[i]! * (1 - learningRate * decay),
            6,
          );
        });
      }
    }
  });

  it.each<OptimizerName>(['sgd', 'adam', 'adamw', 'lars'])(
    'leaves BatchNorm parameters and biases alone with %s',
    async (optimizer) => {
      const [plain, decayed] = await stepPair(optimizer);
      expect(Number.isFinite(decayed.loss)).toBe(true);
      for (const [index, entry] of decayed.after.entries()) {
        if (entry.rank <= 1 && !entry.name.includes('running')) {
          expect(Array.from(entry.values), entry.name).toEqual(
            Array.from(plain.after[index]!.values),
          );
        }
      }
    },
  );
});
