import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ENCODER_PRESETS,
  ProjectionHead,
  ResNetEncoder,
  createResNetEncoder,
  trainableVariables,
} from '../src/index';

const tiny = { stemWidth: 4, widths: [4, 8], blocks: [1, 1] };

afterEach(async () => {
  await tf.setBackend('cpu');
});

describe('ResNetEncoder', () => {
  it.each([
    ['tiny', tiny, 8],
    ['small', 'small' as const, 128],
  ])('output shape of %s', (_name, config, featureDim) => {
    const encoder = createResNetEncoder(config, { seed: 1 });
    const images = tf.randomUniform([2, 16, 16, 3]) as tf.Tensor4D;
    const features = encoder.apply(images, { training: false });
    expect(encoder.featureDim).toBe(featureDim);
    expect(features.shape).toEqual([2, featureDim]);
    tf.dispose([images, features]);
    encoder.dispose();
  });

  it('parameter count of resnet18 matches torchvision', () => {
    // torchvision's resnet18(num_classes=1000) has 11,689,512 parameters. With
    // the CIFAR stem (3×3×3×64 = 1,728 weights instead of 7×7×3×64 = 9,408) and
    // without the final fully connected layer (512 × 1000 + 1000 = 513,000),
    // that is 11,689,512 − 9,408 + 1,728 − 513,000 = 11,168,832.
    const encoder = new ResNetEncoder('resnet18');
    expect(encoder.parameterCount()).toBe(11_168_832);
    encoder.dispose();
  });

  it('names variables like torchvision', () => {
    const encoder = createResNetEncoder(tiny);
    const names = encoder.namedVariables().map((entry) => entry.name);
    expect(names).toContain('conv1.weight');
    expect(names).toContain('bn1.running_var');
    expect(names).toContain('layer1.0.conv2.weight');
    expect(names).toContain('layer2.0.downsample.0.weight');
    expect(names).toContain('layer2.0.downsample.1.bias');
    expect(new Set(names).size).toBe(names.length);
    encoder.dispose();
  });

  it('same seed gives the same weights', async () => {
    const first = createResNetEncoder(tiny, { seed: 7 });
    const second = createResNetEncoder(tiny, { seed: 7 });
    const third = createResNetEncoder(tiny, { seed: 8 });
    const a = await first.namedVariables()[0]!.variable.data();
    const b = await second.namedVariables()[0]!.variable.data();
    const c = await third.namedVariables()[0]!.variable.data();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    [first, second, third].forEach((encoder) => encoder.dispose());
  });

  it('rejects an unknown preset', () => {
    expect(() => createResNetEncoder('resnet1000' as 'small')).toThrow(
      /resnet1000.*resnet18, small/,
    );
  });

  it('rejects mismatched widths and blocks', () => {
    expect(() => createResNetEncoder({ stemWidth: 4, widths: [4, 8], blocks: [1] })).toThrow(
      /equal length/,
    );
  });

  it('every trainable variable gets a non-zero gradient', async () => {
    await tf.setBackend('cpu');
    const encoder = createResNetEncoder(tiny, { seed: 3 });
    const head = new ProjectionHead({ inputDim: encoder.featureDim, outputDim: 4, seed: 4 });
    const images = tf.randomUniform([4, 8, 8, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const variables = [...trainableVariables(encoder), ...trainableVariables(head)];
    const target = tf.randomNormal([4, 4], 0, 1, 'float32', 6);
    const { value, grads } = tf.variableGrads(
      () =>
        tf.sum(
          tf.mul(head.apply(encoder.apply(images, { training: true }), { training: true }), target),
        ),
      variables,
    );
    expect(Object.keys(grads)).toHaveLength(variables.length);
    for (const variable of variables) {
      const norm = tf.norm(grads[variable.name]!).dataSync()[0]!;
      expect(norm, variable.name).toBeGreaterThan(0);
    }
    tf.dispose([value, images, target, ...Object.values(grads)]);
    encoder.dispose();
    head.dispose();
  });

  it('forward pass leaks no tensors', () => {
    const encoder = createResNetEncoder(tiny);
    const images = tf.randomUniform([2, 8, 8, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.dispose(encoder.apply(images, { training: true }));
      tf.dispose(encoder.apply(images, { training: false }));
    }
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
    encoder.dispose();
  });

  it('presets describe ResNet-18', () => {
    expect(ENCODER_PRESETS.resnet18.blocks).toEqual([2, 2, 2, 2]);
    expect(ENCODER_PRESETS.resnet18.widths).toEqual([64, 128, 256, 512]);
  });
});

describe('ProjectionHead', () => {
  it('maps features to embeddings', () => {
    const head = new ProjectionHead({ inputDim: 16, hiddenDim: 8, outputDim: 5 });
    const features = tf.randomNormal([3, 16]) as tf.Tensor2D;
    const embeddings = head.apply(features, { training: true });
    expect(embeddings.shape).toEqual([3, 5]);
    // Linear 16×8 without bias, BatchNorm 2×8, Linear 8×5 with bias.
    expect(head.parameterCount()).toBe(16 * 8 + 2 * 8 + 8 * 5 + 5);
    tf.dispose([features, embeddings]);
    head.dispose();
  });
});

describe('construction', () => {
  it('creates one tensor per variable and frees all on dispose', () => {
    const before = tf.memory().numTensors;
    const encoder = createResNetEncoder(tiny);
    expect(tf.memory().numTensors - before).toBe(encoder.namedVariables().length);
    encoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
