import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';

import { CIFAR10_MEAN, CIFAR10_STD, normalizeImages, type ChannelValues } from '../src/index';

afterEach(async () => {
  await tf.setBackend('cpu');
});

function expectedNormalized(
  values: ArrayLike<number>,
  mean: ChannelValues,
  std: ChannelValues,
): number[] {
  return Array.from(values, (value, i) => (value - mean[i % 3]!) / std[i % 3]!);
}

describe('normalizeImages', () => {
  it.each(['cpu', 'wasm'])('computes (x - mean) / std per channel on %s', async (backend) => {
    await tf.setBackend(backend);
    const images = tf.randomUniform([2, 3, 4, 3], 0, 1, 'float32', 21) as tf.Tensor4D;
    const mean: ChannelValues = [0.1, 0.5, 0.9];
    const std: ChannelValues = [0.2, 0.25, 0.5];
    const out = normalizeImages(images, mean, std);

    const expected = expectedNormalized(images.dataSync(), mean, std);
    const actual = out.dataSync();
    expected.forEach((value, i) => expect(actual[i]).toBeCloseTo(value, 5));
    expect(out.shape).toEqual(images.shape);
    expect(out.dtype).toBe('float32');
    tf.dispose([images, out]);
  });

  it('defaults to the CIFAR-10 statistics', () => {
    const images = tf.tensor4d([0, 0, 0, 1, 1, 1], [1, 1, 2, 3]);
    const out = normalizeImages(images);
    const expected = expectedNormalized(images.dataSync(), CIFAR10_MEAN, CIFAR10_STD);
    const actual = out.dataSync();
    expected.forEach((value, i) => expect(actual[i]).toBeCloseTo(value, 5));
    tf.dispose([images, out]);
  });

  it.each<[string, number[], number[], RegExp]>([
    ['a zero std', [0, 0, 0], [1, 0, 1], /std must be 3 finite numbers > 0/],
    ['two means', [0, 0], [1, 1, 1], /mean must be 3 finite numbers/],
    ['a NaN mean', [0, NaN, 0], [1, 1, 1], /mean must be 3 finite numbers/],
  ])('rejects %s', (_name, mean, std, message) => {
    const images = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    expect(() =>
      normalizeImages(images, mean as unknown as ChannelValues, std as unknown as ChannelValues),
    ).toThrow(message);
    images.dispose();
  });

  it('leaves no tensors behind', () => {
    const images = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      normalizeImages(images).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
  });
});
