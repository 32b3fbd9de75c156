import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';

import {
  createRng,
  flipLeftRight,
  flipUpDown,
  RandomHorizontalFlip,
  RandomVerticalFlip,
} from '../src/index';
import { rate, rateTolerance } from './statistics';

afterEach(async () => {
  await tf.setBackend('cpu');
});

// Two 2×3 one-channel images whose values name their position: 10·n + 3·y + x.
const IMAGES = [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15];

describe('flipLeftRight', () => {
  it.each(['cpu', 'wasm'])('reverses the columns of flagged images on %s', async (backend) => {
    await tf.setBackend(backend);
    const images = tf.tensor4d(IMAGES, [2, 2, 3, 1]);
    const output = flipLeftRight(images, [false, true]);
    expect(Array.from(output.dataSync())).toEqual([0, 1, 2, 3, 4, 5, 12, 11, 10, 15, 14, 13]);
    tf.dispose([images, output]);
  });

  it('flips every image by default', () => {
    const images = tf.tensor4d(IMAGES, [2, 2, 3, 1]);
    const output = flipLeftRight(images);
    expect(Array.from(output.dataSync())).toEqual([2, 1, 0, 5, 4, 3, 12, 11, 10, 15, 14, 13]);
    tf.dispose([images, output]);
  });

  it('keeps the channels of each pixel together', () => {
    const images = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]);
    const output = flipLeftRight(images);
    expect(Array.from(output.dataSync())).toEqual([4, 5, 6, 1, 2, 3]);
    tf.dispose([images, output]);
  });

  it('rejects a flag count mismatch', () => {
    const images = tf.zeros([2, 2, 2, 3]) as tf.Tensor4D;
    expect(() => flipLeftRight(images, [true])).toThrow(/one boolean per image \(2\)/);
    images.dispose();
  });
});

describe('flipUpDown', () => {
  it.each(['cpu', 'wasm'])('reverses the rows of flagged images on %s', async (backend) => {
    await tf.setBackend(backend);
    const images = tf.tensor4d(IMAGES, [2, 2, 3, 1]);
    const output = flipUpDown(images, [true, false]);
    expect(Array.from(output.dataSync())).toEqual([3, 4, 5, 0, 1, 2, 10, 11, 12, 13, 14, 15]);
    tf.dispose([images, output]);
  });

  it('leaves the images alone with flags false', () => {
    const images = tf.tensor4d(IMAGES, [2, 2, 3, 1]);
    const output = flipUpDown(images, false);
    expect(Array.from(output.dataSync())).toEqual(IMAGES);
    tf.dispose([images, output]);
  });
});

describe.each([
  ['RandomHorizontalFlip', (p: number) => new RandomHorizontalFlip({ p })],
  ['RandomVerticalFlip', (p: number) => new RandomVerticalFlip({ p })],
])('%s', (_name, create) => {
  it.each([0.5, 0.3])('flips at rate %d over 10,000 draws', (p) => {
    const params = create(p).drawParams([10_000, 4, 4, 3], createRng(11));
    const flags = params.map((param) => param.applied);
    expect(Math.abs(rate(flags) - p)).toBeLessThan(rateTolerance(p, flags.length));
  });

  it('draws one number per image', () => {
    const rng = createRng(12);
    create(0.5).drawParams([7, 4, 4, 3], rng);
    const reference = createRng(12);
    for (let i = 0; i < 7; i++) {
      reference.next();
    }
    expect(rng.getState()).toEqual(reference.getState());
  });

  it('rejects a probability above 1', () => {
    expect(() => create(1.5)).toThrow(/p must be a probability in \[0, 1\], but got 1.5/);
  });
});
