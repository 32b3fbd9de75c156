import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  Linear,
  LinearClassifier,
  PredictionHead,
  ProjectionHead,
  ProjectionHeadV2,
  SeedSequence,
  modelSummary,
  type Module,
  type ShapeTraceable,
} from '../src/index';

type Head = Module &
  ShapeTraceable & {
    apply(features: tf.Tensor2D, options: { training: boolean }): tf.Tensor2D;
    parameterCount(): number;
  };

const heads: Array<[string, (seed: number) => Head, number, number]> = [
  ['ProjectionHead', (seed) => new ProjectionHead({ inputDim: 12, hiddenDim: 8, seed }), 12, 128],
  ['ProjectionHeadV2', (seed) => new ProjectionHeadV2({ inputDim: 12, outputDim: 6, seed }), 12, 6],
  ['PredictionHead', (seed) => new PredictionHead({ inputDim: 12, hiddenDim: 20, seed }), 12, 12],
  [
    'LinearClassifier',
    (seed) => new LinearClassifier({ inputDim: 12, numClasses: 10, seed }),
    12,
    10,
  ],
];

describe.each(heads)('%s', (_name, create, inputDim, outputDim) => {
  it('maps features to the output length', () => {
    const head = create(1);
    const features = tf.randomNormal([5, inputDim], 0, 1, 'float32', 2) as tf.Tensor2D;
    for (const training of [true, false]) {
      const output = head.apply(features, { training });
      expect(output.shape).toEqual([5, outputDim]);
      output.dispose();
    }
    features.dispose();
    head.dispose();
  });

  it('same seed gives the same weights', async () => {
    const values = async (head: Head) => {
      const arrays = await Promise.all(
        head.namedVariables().map(async ({ variable }) => Array.from(await variable.data())),
      );
      head.dispose();
      return arrays;
    };
    const first = await values(create(3));
    expect(await values(create(3))).toEqual(first);
    const other = await values(create(4));
    const weights = create(3).namedVariables();
    weights.forEach(({ name, variable }, index) => {
      if (variable.rank === 2) {
        expect(other[index], name).not.toEqual(first[index]);
      }
      variable.dispose();
    });
  });

  it('forward passes leak no tensors', () => {
    const head = create(5);
    const features = tf.randomNormal([4, inputDim]) as tf.Tensor2D;
    tf.dispose(head.apply(features, { training: true }));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.dispose(head.apply(features, { training: true }));
      tf.dispose(head.apply(features, { training: false }));
    }
    expect(tf.memory().numTensors).toBe(before);
    features.dispose();
    head.dispose();
  });

  it('summary matches count and shape', () => {
    const head = create(6);
    const summary = modelSummary(head, [3, inputDim]);
    expect(summary.outputShape).toEqual([3, outputDim]);
    expect(summary.parameters).toBe(head.parameterCount());
    head.dispose();
  });
});

describe('ProjectionHead', () => {
  it('keeps its initialisation and names', async () => {
    // The weights of the first version: two Linear layers seeded in order by SeedSequence.
    const head = new ProjectionHead({ inputDim: 6, hiddenDim: 5, outputDim: 4, seed: 9 });
    const seeds = new SeedSequence(9);
    const fc1 = new Linear({ inFeatures: 6, outFeatures: 5, bias: false, seed: seeds.next() });
    const fc2 = new Linear({ inFeatures: 5, outFeatures: 4, seed: seeds.next() });
    const byName = new Map(head.namedVariables().map((entry) => [entry.name, entry.variable]));
    expect([...byName.keys()]).toEqual([
      '0.weight',
      '1.weight',
      '1.bias',
      '1.running_mean',
      '1.running_var',
      '3.weight',
      '3.bias',
    ]);
    expect(Array.from(await byName.get('0.weight')!.data())).toEqual(
      Array.from(await fc1.weight.data()),
    );
    expect(Array.from(await byName.get('3.bias')!.data())).toEqual(
      Array.from(await fc2.bias!.data()),
    );
    expect(head.outputDim).toBe(4);
    [head, fc1, fc2].forEach((module) => module.dispose());
  });
});

describe('ProjectionHeadV2', () => {
  it('has three layers named like nn.Sequential', () => {
    const head = new ProjectionHeadV2({ inputDim: 8 });
    const names = head.namedVariables().map((entry) => entry.name);
    expect(names.filter((name) => name.endsWith('weight'))).toEqual([
      '0.weight',
      '1.weight',
      '3.weight',
      '4.weight',
      '6.weight',
      '7.weight',
    ]);
    expect(names).not.toContain('0.bias');
    expect(names).toContain('7.bias');
    // Three 8×8… Linear layers without bias, two BatchNorms with γ and β, and a last
    // BatchNorm with γ only.
    expect(head.parameterCount()).toBe(8 * 8 + 2 * 8 + 8 * 8 + 2 * 8 + 8 * 128 + 128);
    expect(head.outputDim).toBe(128);
    head.dispose();
  });

  it('last BatchNorm learns no shift', () => {
    const head = new ProjectionHeadV2({ inputDim: 4, outputDim: 3, layers: 2 });
    const bias = head.namedVariables().find((entry) => entry.name === '4.bias')!.variable;
    expect(bias.trainable).toBe(false);
    const features = tf.randomNormal([6, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const output = head.apply(features, { training: true });
    // Training-mode BatchNorm with β = 0 and γ = 1 gives zero-mean columns.
    tf.mean(output, 0)
      .dataSync()
      .forEach((mean) => expect(Math.abs(mean)).toBeLessThan(1e-5));
    tf.dispose([features, output]);
    head.dispose();
  });

  it('rejects zero layers', () => {
    expect(() => new ProjectionHeadV2({ inputDim: 4, layers: 0 })).toThrow(
      /Invalid ProjectionHeadV2 layers 0: expected a positive integer/,
    );
  });
});

describe('PredictionHead', () => {
  it('maps back to its input length by default', () => {
    const head = new PredictionHead({ inputDim: 256, hiddenDim: 4096 });
    expect(head.outputDim).toBe(256);
    // BYOL's predictor: Linear 256×4096 without bias, BatchNorm, Linear 4096×256 with bias.
    expect(head.parameterCount()).toBe(256 * 4096 + 2 * 4096 + 4096 * 256 + 256);
    head.dispose();
  });

  it('rejects a missing hidden width', () => {
    expect(
      () => new PredictionHead({ inputDim: 8, hiddenDim: undefined as unknown as number }),
    ).toThrow(/Invalid PredictionHead hiddenDim undefined/);
  });
});

describe('LinearClassifier', () => {
  it('names its variables like nn.Linear', () => {
    const classifier = new LinearClassifier({ inputDim: 512, numClasses: 1000 });
    const shapes = classifier.namedVariables().map((entry) => [entry.name, entry.variable.shape]);
    expect(shapes).toEqual([
      ['weight', [512, 1000]],
      ['bias', [1000]],
    ]);
    expect(classifier.parameterCount()).toBe(513_000);
    classifier.dispose();
  });

  it('rejects zero classes', () => {
    expect(() => new LinearClassifier({ inputDim: 4, numClasses: 0 })).toThrow(/numClasses 0/);
  });
});
