import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ProjectionHead, createResNetEncoder, modelSummary } from '../src/index';

describe('modelSummary', () => {
  it('lists the CIFAR ResNet-18 like torchinfo', () => {
    const encoder = createResNetEncoder('resnet18');
    const before = tf.memory().numTensors;
    const summary = modelSummary(encoder, [1, 32, 32, 3]);
    expect(tf.memory().numTensors).toBe(before);

    expect(summary.parameters).toBe(11_168_832);
    expect(summary.outputShape).toEqual([1, 512]);
    const top = summary.rows.filter((row) => row.depth === 0);
    expect(top.map((row) => `${row.name} ${row.layer}`)).toEqual([
      'conv1 Conv2d',
      'bn1 BatchNorm',
      'layer1 Sequential',
      'layer2 Sequential',
      'layer3 Sequential',
      'layer4 Sequential',
      'avgpool GlobalAvgPool',
    ]);
    expect(top.reduce((total, row) => total + row.parameters, 0)).toBe(summary.parameters);
    const byName = new Map(summary.rows.map((row) => [row.name, row]));
    expect(byName.get('layer1')!.outputShape).toEqual([1, 32, 32, 64]);
    expect(byName.get('layer4')!.outputShape).toEqual([1, 4, 4, 512]);
    expect(byName.get('layer2.0.downsample.0')!.outputShape).toEqual([1, 16, 16, 128]);
    // 3×3×3×64 weights applied at 32×32 positions.
    expect(byName.get('conv1')!.multAdds).toBe(1728 * 32 * 32);
    expect(summary.text).toContain('Total params: 11,168,832');
    expect(summary.text).toMatch(/^Layer \(type\)\s+Output shape\s+Param #\s+Mult-adds$/m);
    expect(summary.text).toMatch(/^ {4}layer2\.0\.conv1 \(Conv2d\)\s+\[1, 16, 16, 128\]\s+73,728/m);
    encoder.dispose();
  });

  it('traces the ImageNet stem and bottlenecks', () => {
    const encoder = createResNetEncoder('resnet50', { stem: 'imagenet' });
    const summary = modelSummary(encoder, [2, 224, 224, 3], { maxDepth: 1 });
    const byName = new Map(summary.rows.map((row) => [row.name, row.outputShape]));
    expect(byName.get('conv1')).toEqual([2, 112, 112, 64]);
    expect(byName.get('maxpool')).toEqual([2, 56, 56, 64]);
    expect(byName.get('layer1')).toEqual([2, 56, 56, 256]);
    expect(byName.get('layer4.2')).toEqual([2, 7, 7, 2048]);
    expect(summary.outputShape).toEqual([2, 2048]);
    expect(Math.max(...summary.rows.map((row) => row.depth))).toBe(1);
    encoder.dispose();
  });

  it.each([
    ['CIFAR stem, basic', { stemWidth: 4, widths: [4, 8], blocks: [1, 2] }, [2, 15, 13, 3]],
    [
      'ImageNet stem, bottleneck',
      { stemWidth: 4, widths: [2, 4], blocks: [1, 1], block: 'bottleneck', stem: 'imagenet' },
      [1, 29, 23, 3],
    ],
  ] as const)('output shape equals a real forward pass (%s)', (_name, config, inputShape) => {
    const encoder = createResNetEncoder(config);
    const images = tf.zeros([...inputShape]) as tf.Tensor4D;
    const features = encoder.apply(images, { training: false });
    expect(modelSummary(encoder, [...inputShape]).outputShape).toEqual(features.shape);
    tf.dispose([images, features]);
    encoder.dispose();
  });

  it('summarises a head', () => {
    const head = new ProjectionHead({ inputDim: 512 });
    const summary = modelSummary(head, [256, 512]);
    expect(summary.rows.map((row) => [row.name, row.outputShape])).toEqual([
      ['0', [256, 512]],
      ['1', [256, 512]],
      ['3', [256, 128]],
    ]);
    expect(summary.multAdds).toBe(256 * (512 * 512 + 512 * 128));
    head.dispose();
  });

  it('rejects an input with the wrong channels', () => {
    const encoder = createResNetEncoder('small');
    expect(() => modelSummary(encoder, [1, 32, 32, 1])).toThrow(
      /Invalid input shape \[1, 32, 32, 1\] for Conv2d 'conv1': expected \[N, H, W, 3\]/,
    );
    encoder.dispose();
  });
});
