import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ENCODER_PRESETS,
  LinearClassifier,
  ProjectionHead,
  ResNetEncoder,
  createResNetEncoder,
  modelSummary,
  resolveResNetConfig,
  trainableVariables,
  type ResNetConfig,
} from '../src/index';
import smallEncoderNames from './small-encoder-names.json';

const tiny = { stemWidth: 4, widths: [4, 8], blocks: [1, 1] };
const tinyBottleneck: ResNetConfig = {
  stemWidth: 4,
  widths: [2, 4],
  blocks: [2, 1],
  block: 'bottleneck',
  stem: 'imagenet',
};

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

describe('ResNet family', () => {
  it.each([
    ['basic, CIFAR stem', tiny, [2, 16, 16, 3], 8],
    ['basic, ImageNet stem', { ...tiny, stem: 'imagenet' as const }, [2, 32, 32, 3], 8],
    ['bottleneck, ImageNet stem', tinyBottleneck, [2, 32, 32, 3], 16],
    ['bottleneck, CIFAR stem', { ...tinyBottleneck, stem: 'cifar' as const }, [2, 16, 16, 3], 16],
    ['resnet50 preset', 'resnet50' as const, [1, 16, 16, 3], 2048],
  ])('output shape: %s', (_name, config, inputShape, featureDim) => {
    const encoder = createResNetEncoder(config, { seed: 2 });
    const images = tf.randomUniform(
      inputShape as [number, number, number, number],
      0,
      1,
      'float32',
      3,
    ) as tf.Tensor4D;
    const features = encoder.apply(images, { training: false });
    expect(encoder.featureDim).toBe(featureDim);
    expect(features.shape).toEqual([inputShape[0], featureDim]);
    tf.dispose([images, features]);
    encoder.dispose();
  });

  // torchvision 0.14.1 with num_classes=1000, counted with
  // sum(p.numel() for p in torchvision.models.resnetNN().parameters()). The multiply-
  // accumulates of its convolutions and fc at 224×224, summed by forward hooks, match the
  // GFLOPS column of torchvision's model documentation (1.81, 3.66, 4.09).
  it.each([
    ['resnet18', 11_689_512, 1_814_073_344],
    ['resnet34', 21_797_672, 3_663_761_408],
    ['resnet50', 25_557_032, 4_089_184_256],
  ] as const)('%s with classifier matches torchvision', (preset, parameters, multAdds) => {
    const encoder = createResNetEncoder(preset, { stem: 'imagenet' });
    const classifier = new LinearClassifier({ inputDim: encoder.featureDim, numClasses: 1000 });
    expect(encoder.parameterCount() + classifier.parameterCount()).toBe(parameters);

    const features = modelSummary(encoder, [1, 224, 224, 3]);
    const logits = modelSummary(classifier, features.outputShape);
    expect(features.multAdds + logits.multAdds).toBe(multAdds);
    encoder.dispose();
    classifier.dispose();
  });

  it.each([
    // torchvision's count minus its 7×7 stem (9,408) plus the 3×3 stem (1,728), minus fc.
    ['small', 307_536],
    ['resnet18', 11_689_512 - 9_408 + 1_728 - 513_000],
    ['resnet34', 21_797_672 - 9_408 + 1_728 - 513_000],
    ['resnet50', 25_557_032 - 9_408 + 1_728 - 2_049_000],
  ] as const)('parameter count of the %s preset', (preset, parameters) => {
    const encoder = createResNetEncoder(preset);
    expect(encoder.parameterCount()).toBe(parameters);
    encoder.dispose();
  });

  it('width multiplier scales the stem and every stage', () => {
    const config = resolveResNetConfig('resnet50', { widthMultiplier: 2 });
    expect(config.stemWidth).toBe(128);
    expect(config.widths).toEqual([128, 256, 512, 1024]);
    expect(config.block).toBe('bottleneck');
    const encoder = createResNetEncoder(tinyBottleneck, { widthMultiplier: 2 });
    expect(encoder.config.widths).toEqual([4, 8]);
    expect(encoder.featureDim).toBe(32);
    encoder.dispose();
  });

  it('resolved configuration resolves to itself', () => {
    const config = resolveResNetConfig('resnet34', { stem: 'imagenet', widthMultiplier: 0.5 });
    expect(resolveResNetConfig(config)).toEqual(config);
    expect(config).toEqual({
      stemWidth: 32,
      widths: [32, 64, 128, 256],
      blocks: [3, 4, 6, 3],
      block: 'basic',
      stem: 'imagenet',
    });
  });

  it('existing presets keep their shape', () => {
    expect(resolveResNetConfig('small')).toEqual({
      stemWidth: 16,
      widths: [16, 32, 64, 128],
      blocks: [1, 1, 1, 1],
      block: 'basic',
      stem: 'cifar',
    });
    expect(resolveResNetConfig('resnet18').stem).toBe('cifar');
  });

  it.each([
    [
      'stem',
      { ...tiny, stem: 'tiny' },
      /Invalid ResNet stem 'tiny': expected one of cifar, imagenet/,
    ],
    [
      'block',
      { ...tiny, block: 'wide' },
      /Invalid ResNet block 'wide': expected one of basic, bottleneck/,
    ],
    ['width multiplier', { ...tiny, widthMultiplier: -1 }, /width multiplier -1/],
    ['vanishing width', { ...tiny, widthMultiplier: 0.1 }, /scales width 4 to 0 channels/],
  ])('rejects an invalid %s', (_name, config, message) => {
    expect(() => createResNetEncoder(config as ResNetConfig)).toThrow(message);
  });

  it('rejects invalid input channels', () => {
    expect(() => createResNetEncoder(tiny, { inChannels: 0 })).toThrow(/input channels 0/);
  });

  it('bottleneck names follow torchvision', () => {
    const encoder = createResNetEncoder('resnet50');
    const names = encoder.namedVariables().map((entry) => entry.name);
    for (const name of [
      'conv1.weight',
      'layer1.0.conv3.weight',
      'layer1.0.bn3.running_var',
      'layer1.0.downsample.0.weight',
      'layer1.0.downsample.1.bias',
      'layer1.1.conv1.weight',
      'layer4.2.bn3.bias',
    ]) {
      expect(names).toContain(name);
    }
    expect(names).not.toContain('layer1.1.downsample.0.weight');
    // conv1, bn1 (4), 16 blocks of 3 convolutions and 3 BatchNorms (15 each), and 4
    // shortcuts of a convolution and a BatchNorm (5 each).
    expect(names).toHaveLength(5 + 16 * 15 + 4 * 5);
    encoder.dispose();
  });

  it('small preset names unchanged', () => {
    // Recorded from the first version of this package; saved weights depend on them.
    const encoder = createResNetEncoder('small');
    const names = encoder
      .namedVariables()
      .map((entry) => `${entry.name} [${entry.variable.shape}]`);
    expect(names).toEqual(smallEncoderNames);
    encoder.dispose();
  });

  it('stem choice keeps the names', () => {
    const cifar = createResNetEncoder(tinyBottleneck, { stem: 'cifar' });
    const imagenet = createResNetEncoder(tinyBottleneck);
    const shapes = (encoder: ResNetEncoder) =>
      encoder.namedVariables().map((entry) => `${entry.name} [${entry.variable.shape}]`);
    expect(shapes(cifar).slice(1)).toEqual(shapes(imagenet).slice(1));
    expect(shapes(cifar)[0]).toBe('conv1.weight [3,3,3,4]');
    expect(shapes(imagenet)[0]).toBe('conv1.weight [7,7,3,4]');
    cifar.dispose();
    imagenet.dispose();
  });

  it('seed determines every weight', async () => {
    const read = async (seed: number) => {
      const encoder = createResNetEncoder(tinyBottleneck, { seed });
      const values = await Promise.all(
        encoder.namedVariables().map(async ({ variable }) => Array.from(await variable.data())),
      );
      encoder.dispose();
      return values;
    };
    const first = await read(7);
    const second = await read(7);
    const other = await read(8);
    expect(second).toEqual(first);
    const conv = createResNetEncoder(tinyBottleneck).namedVariables();
    conv.forEach(({ name, variable }, index) => {
      if (variable.rank === 4) {
        expect(other[index], name).not.toEqual(first[index]);
      }
      variable.dispose();
    });
  });

  it('bottleneck gradients reach every variable', () => {
    const encoder = createResNetEncoder(tinyBottleneck, { seed: 3 });
    const images = tf.randomUniform([3, 16, 16, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const target = tf.randomNormal([3, encoder.featureDim], 0, 1, 'float32', 6);
    const variables = trainableVariables(encoder);
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(encoder.apply(images, { training: true }), target)),
      variables,
    );
    for (const variable of variables) {
      expect(tf.norm(grads[variable.name]!).dataSync()[0], variable.name).toBeGreaterThan(0);
    }
    tf.dispose([value, images, target, ...Object.values(grads)]);
    encoder.dispose();
  });

  it('bottleneck forward pass leaks no tensors', () => {
    const encoder = createResNetEncoder(tinyBottleneck);
    const images = tf.randomUniform([2, 16, 16, 3]) as tf.Tensor4D;
    tf.dispose(encoder.apply(images, { training: true }));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.dispose(encoder.apply(images, { training: true }));
      tf.dispose(encoder.apply(images, { training: false }));
    }
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
    encoder.dispose();
  });

  it('ImageNet stem agrees on cpu and wasm', async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const encoder = createResNetEncoder(tinyBottleneck, { seed: 9 });
      const images = tf.randomUniform([2, 24, 24, 3], 0, 1, 'float32', 10) as tf.Tensor4D;
      const training = encoder.apply(images, { training: true });
      const inference = encoder.apply(images, { training: false });
      const result = [Array.from(await training.data()), Array.from(await inference.data())];
      tf.dispose([images, training, inference]);
      encoder.dispose();
      return result;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    cpu.forEach((values, mode) =>
      values.forEach((value, i) => expect(wasm[mode]![i]).toBeCloseTo(value, 4)),
    );
  });
});
