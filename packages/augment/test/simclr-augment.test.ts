import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';

import {
  applySimclrParams,
  createRng,
  drawSimclrParams,
  normalizeImages,
  simclrAugment,
  type SimclrAugmentOptions,
  type SimclrParams,
} from '../src/index';
import { maxAbsDifference, referenceSimclrView, toImages } from './reference';

const IDENTITY_OPTIONS: SimclrAugmentOptions = {
  cropScale: [1, 1],
  cropRatio: [1, 1],
  flipProbability: 0,
  colorJitterProbability: 0,
  grayscaleProbability: 0,
};

function randomImages(batch: number, size: number, seed: number): tf.Tensor4D {
  return tf.randomUniform([batch, size, size, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
}

function imageValues(images: tf.Tensor4D, index: number): number[] {
  const [, height, width, channels] = images.shape;
  const size = height * width * channels;
  return Array.from(images.dataSync().slice(index * size, (index + 1) * size));
}

afterEach(async () => {
  await tf.setBackend('cpu');
});

describe('simclrAugment', () => {
  it('keeps shape and dtype', () => {
    const images = randomImages(3, 10, 1);
    const view = simclrAugment(images, createRng(0));
    expect(view.shape).toEqual([3, 10, 10, 3]);
    expect(view.dtype).toBe('float32');
    tf.dispose([images, view]);
  });

  it('repeats bit for bit under the same seed', () => {
    const images = randomImages(4, 12, 2);
    const a = simclrAugment(images, createRng(31));
    const b = simclrAugment(images, createRng(31));
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([images, a, b]);
  });

  it('changes with the seed and between two views', () => {
    const images = randomImages(4, 12, 3);
    const rng = createRng(31);
    const first = simclrAugment(images, rng);
    const second = simclrAugment(images, rng);
    const otherSeed = simclrAugment(images, createRng(32));
    expect(Array.from(second.dataSync())).not.toEqual(Array.from(first.dataSync()));
    expect(Array.from(otherSeed.dataSync())).not.toEqual(Array.from(first.dataSync()));
    tf.dispose([images, first, second, otherSeed]);
  });

  it('transforms equal images differently', () => {
    const one = randomImages(1, 12, 4);
    const images = tf.concat([one, one]) as tf.Tensor4D;
    const view = simclrAugment(images, createRng(8));
    expect(imageValues(view, 1)).not.toEqual(imageValues(view, 0));
    tf.dispose([one, images, view]);
  });

  it('stays in [0, 1] with normalize false', () => {
    const images = randomImages(16, 8, 5);
    const view = simclrAugment(images, createRng(9), { normalize: false, colorStrength: 2.5 });
    const values = view.dataSync();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    tf.dispose([images, view]);
  });

  it('returns the input for identity options', () => {
    const images = randomImages(3, 9, 6);
    const view = simclrAugment(images, createRng(10), { ...IDENTITY_OPTIONS, normalize: false });
    expect(Array.from(view.dataSync())).toEqual(Array.from(images.dataSync()));
    tf.dispose([images, view]);
  });

  it('normalises only for identity options', () => {
    const images = randomImages(2, 6, 7);
    const view = simclrAugment(images, createRng(11), IDENTITY_OPTIONS);
    const normalized = normalizeImages(images);
    expect(Array.from(view.dataSync())).toEqual(Array.from(normalized.dataSync()));
    tf.dispose([images, view, normalized]);
  });

  it('equals applySimclrParams of drawSimclrParams', () => {
    const images = randomImages(3, 8, 8);
    const view = simclrAugment(images, createRng(12));
    const params = drawSimclrParams(images.shape, createRng(12));
    const replay = applySimclrParams(images, params);
    expect(Array.from(replay.dataSync())).toEqual(Array.from(view.dataSync()));
    tf.dispose([images, view, replay]);
  });

  it('leaves no tensors behind', () => {
    const images = randomImages(4, 8, 9);
    const rng = createRng(13);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      simclrAugment(images, rng).dispose();
      simclrAugment(images, rng, { normalize: false }).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
  });

  it.each<[string, () => tf.Tensor, RegExp]>([
    ['rank 3', () => tf.zeros([4, 4, 3]), /rank 4/],
    ['1 channel', () => tf.zeros([1, 4, 4, 1]), /3 channels/],
    ['int32', () => tf.zeros([1, 4, 4, 3], 'int32'), /float32/],
    ['an empty batch', () => tf.zeros([0, 4, 4, 3]), /N, H and W >= 1/],
  ])('rejects %s input', (_name, makeInput, message) => {
    const input = makeInput();
    expect(() => simclrAugment(input as tf.Tensor4D, createRng(0))).toThrow(message);
    input.dispose();
  });

  it('rejects an invalid option before drawing', () => {
    const images = randomImages(1, 4, 1);
    expect(() => simclrAugment(images, createRng(0), { flipProbability: 1.5 })).toThrow(
      /flipProbability/,
    );
    images.dispose();
  });
});

describe('applySimclrParams', () => {
  function jitteredParams(images: tf.Tensor4D, seed: number): SimclrParams {
    return drawSimclrParams(images.shape, createRng(seed), {
      colorJitterProbability: 1,
      grayscaleProbability: 0.5,
      colorStrength: 1,
    });
  }

  it.each(['cpu', 'wasm'])('matches a per-pixel reference on %s', async (backend) => {
    await tf.setBackend(backend);
    const images = randomImages(6, 7, 14);
    const params = jitteredParams(images, 15);
    const view = applySimclrParams(images, params);

    const inputs = toImages(images.dataSync(), images.shape);
    const outputs = toImages(view.dataSync(), view.shape);
    inputs.forEach((image, n) => {
      const expected = referenceSimclrView(image, params, n);
      expect(maxAbsDifference(outputs[n]!, expected)).toBeLessThan(1e-4);
    });
    tf.dispose([images, view]);
  });

  it.each(['cpu', 'wasm'])("follows each image's jitter order on %s", async (backend) => {
    await tf.setBackend(backend);
    const images = randomImages(12, 6, 24);
    // Strength 1 and no normalisation keep the crop's border inset and float32 rounding,
    // amplified by the factors, under the tolerance: 6.7e-5 at most on both backends here.
    const params = drawSimclrParams(images.shape, createRng(25), {
      colorJitterProbability: 0.75,
      colorJitterOrder: 'random',
      colorStrength: 1,
      normalize: false,
    });
    const view = applySimclrParams(images, params);

    const inputs = toImages(images.dataSync(), images.shape);
    const outputs = toImages(view.dataSync(), view.shape);
    inputs.forEach((image, n) => {
      const expected = referenceSimclrView(image, params, n);
      expect(maxAbsDifference(outputs[n]!, expected)).toBeLessThan(1e-4);
    });
    tf.dispose([images, view]);
  });

  it('depends on the jitter order', () => {
    const images = randomImages(1, 8, 26);
    const base = drawSimclrParams(images.shape, createRng(27), {
      colorJitterProbability: 1,
      colorStrength: 2,
      cropScale: [1, 1],
      cropRatio: [1, 1],
      normalize: false,
    });
    const fixed = applySimclrParams(images, base);
    const reversed = applySimclrParams(images, {
      ...base,
      jitterOrder: [['hue', 'saturation', 'contrast', 'brightness']],
    });
    expect(Array.from(reversed.dataSync())).not.toEqual(Array.from(fixed.dataSync()));
    tf.dispose([images, fixed, reversed]);
  });

  it('agrees between cpu and wasm within 1e-4', async () => {
    const inputValues = randomImages(8, 16, 16);
    const values = inputValues.dataSync().slice();
    const shape = inputValues.shape;
    inputValues.dispose();
    const params = drawSimclrParams(shape, createRng(17), { colorStrength: 1 });

    const views: Float32Array[] = [];
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const images = tf.tensor4d(values, shape);
      const view = applySimclrParams(images, params);
      views.push(view.dataSync() as Float32Array);
      tf.dispose([images, view]);
    }
    let worst = 0;
    views[0]!.forEach((value, i) => {
      worst = Math.max(worst, Math.abs(value - views[1]![i]!));
    });
    expect(worst).toBeLessThan(1e-4);
  });

  it('repeats bit for bit on wasm', async () => {
    await tf.setBackend('wasm');
    const images = randomImages(4, 8, 18);
    const params = drawSimclrParams(images.shape, createRng(19));
    const a = applySimclrParams(images, params);
    const b = applySimclrParams(images, params);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([images, a, b]);
  });

  it('leaves no tensors behind on wasm', async () => {
    await tf.setBackend('wasm');
    const images = randomImages(4, 8, 20);
    const rng = createRng(21);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      simclrAugment(images, rng).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
  });

  it.each<[string, (params: SimclrParams) => SimclrParams, RegExp]>([
    ['another image size', (p) => ({ ...p, imageHeight: 9 }), /drawn for 9×8 images/],
    [
      'a short flip list',
      (p) => ({ ...p, flips: [true] }),
      /flips must have one boolean per image \(2\)/,
    ],
    [
      'a crop outside',
      (p) => ({ ...p, crops: [p.crops[0]!, { top: 7, left: 0, height: 2, width: 1 }] }),
      /crops\[1\]/,
    ],
    [
      'a negative contrast',
      (p) => ({ ...p, contrast: [1, -1] }),
      /contrast\[1\] must be a finite number >= 0/,
    ],
    [
      'a hue of one turn',
      (p) => ({ ...p, hue: [1, 0] }),
      /hue\[0\] must be a finite number in \[-0.5, 0.5\]/,
    ],
    [
      'a zero std',
      (p) => ({ ...p, normalization: { mean: [0, 0, 0], std: [0, 1, 1] } }),
      /std must be/,
    ],
    [
      'a short jitter order list',
      (p) => ({ ...p, jitterOrder: [['hue', 'saturation', 'contrast', 'brightness']] }),
      /jitterOrder must have one order per image \(2\)/,
    ],
    [
      'a jitter order with a repeated step',
      (p) => ({
        ...p,
        jitterOrder: [
          ['hue', 'hue', 'contrast', 'brightness'],
          ['hue', 'saturation', 'contrast', 'brightness'],
        ],
      }),
      /jitterOrder\[0\] must be a permutation/,
    ],
  ])('rejects params with %s', (_name, edit, message) => {
    const images = randomImages(2, 8, 22);
    const params = edit(drawSimclrParams(images.shape, createRng(23)));
    const before = tf.memory().numTensors;
    expect(() => applySimclrParams(images, params)).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
  });
});
