import * as tf from '@tensorflow/tfjs-core';
import { createRng, drawSimclrParams, type SimclrParams } from '@simclr-ts/augment';
import {
  ProjectionHead,
  createResNetEncoder,
  readWeights,
  type ReplicaGroup,
} from '@simclr-ts/models';
import { describe, expect, it } from 'vitest';
import { SimclrTrainer } from '../src/index';

const tiny = { stemWidth: 8, widths: [8, 16], blocks: [1, 1] };

/**
 * A group of two replicas whose other replica has exactly this one's images, so one
 * replicated step on a batch must equal a plain step on the batch stacked twice.
 */
const mirroredPair: ReplicaGroup = {
  rank: 0,
  size: 2,
  allGather: (values) => [values.slice(), values.slice()],
  allReduceSum: (values) => values.map((value) => 2 * value),
};

function createTrainer(replicas?: ReplicaGroup) {
  const encoder = createResNetEncoder(tiny, { seed: 3 });
  const head = new ProjectionHead({ inputDim: encoder.featureDim, outputDim: 16, seed: 4 });
  return new SimclrTrainer({
    encoder,
    head,
    learningRate: 0.05,
    optimizer: 'sgd',
    seed: 5,
    replicas,
  });
}

function stacked(params: SimclrParams): SimclrParams {
  const twice = <T>(values: readonly T[]) => [...values, ...values];
  return {
    ...params,
    crops: twice(params.crops),
    flips: twice(params.flips),
    colorJitter: twice(params.colorJitter),
    brightness: twice(params.brightness),
    contrast: twice(params.contrast),
    saturation: twice(params.saturation),
    hue: twice(params.hue),
    grayscale: twice(params.grayscale),
  };
}

describe('SimclrTrainer with replicas', () => {
  it('equals a plain step on the stacked batch', async () => {
    const images = tf.randomUniform([3, 16, 16, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
    const images2 = tf.concat([images, images]) as tf.Tensor4D;
    const replicated = createTrainer(mirroredPair);
    const plain = createTrainer();
    const rng = createRng(7);

    for (let step = 0; step < 3; step++) {
      const params: [SimclrParams, SimclrParams] = [
        drawSimclrParams(images.shape, rng),
        drawSimclrParams(images.shape, rng),
      ];
      const expected = await plain.stepWithParams(images2, [
        stacked(params[0]),
        stacked(params[1]),
      ]);
      const actual = await replicated.stepWithParams(images, params);
      expect(Math.abs(actual - expected)).toBeLessThan(1e-5 * expected);
    }

    const reference = await readWeights(plain.encoder);
    for (const [index, array] of (await readWeights(replicated.encoder)).entries()) {
      const other = reference[index]!.values;
      const scale = Math.max(...Array.from(other, Math.abs));
      const difference = Math.max(
        ...Array.from(array.values, (value, i) => Math.abs(value - other[i]!)),
      );
      expect(difference / scale, array.name).toBeLessThan(1e-5);
    }
    tf.dispose([images, images2]);
  });
});
