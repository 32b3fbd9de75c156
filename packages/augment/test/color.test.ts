import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';

import {
  adjustBrightness,
  adjustContrast,
  adjustHue,
  adjustSaturation,
  createRng,
  grayscale,
  RandomGrayscale,
  rgbToGrayscale,
} from '../src/index';
import { rate, rateTolerance } from './statistics';
import { clip01, lumaOf, shiftHue, toImages, type Rgb } from './reference';

function constantImage(pixel: Rgb, size = 2): tf.Tensor4D {
  const values = new Array<number>(size * size).fill(0).flatMap(() => pixel);
  return tf.tensor4d(values, [1, size, size, 3]);
}

function firstPixel(images: tf.Tensor4D): number[] {
  return Array.from(images.dataSync().slice(0, 3));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  }
  return worst;
}

afterEach(async () => {
  await tf.setBackend('cpu');
});

describe('adjustBrightness', () => {
  it.each([
    [0.4, 1.5, 0.6],
    [0.8, 1.5, 1],
    [0.5, 0, 0],
    [0.25, 1, 0.25],
  ])('maps constant %d with factor %d to %d', (value, factor, expected) => {
    const image = constantImage([value, value, value]);
    const out = adjustBrightness(image, factor);
    for (const v of out.dataSync()) {
      expect(v).toBeCloseTo(expected, 6);
    }
    tf.dispose([image, out]);
  });

  it('applies one factor per image', () => {
    const images = tf.fill([3, 2, 2, 3], 0.5) as tf.Tensor4D;
    const out = adjustBrightness(images, [0.5, 1, 1.5]);
    const values = out.dataSync();
    expect(values[0]).toBeCloseTo(0.25, 6);
    expect(values[12]).toBeCloseTo(0.5, 6);
    expect(values[24]).toBeCloseTo(0.75, 6);
    tf.dispose([images, out]);
  });
});

describe('adjustContrast', () => {
  it('blends with the mean luma of each image', () => {
    const pixels: Rgb[] = [
      [0.9, 0.2, 0.1],
      [0.1, 0.6, 0.3],
      [0.4, 0.4, 0.8],
      [0.0, 1.0, 0.5],
    ];
    const image = tf.tensor4d(pixels.flat(), [1, 2, 2, 3]);
    const mean = pixels.map(lumaOf).reduce((a, b) => a + b, 0) / pixels.length;
    const factor = 1.7;
    const expected = pixels.flatMap((pixel) =>
      pixel.map((v) => clip01(factor * v + (1 - factor) * mean)),
    );

    const out = adjustContrast(image, factor);
    expect(maxAbsDiff(out.dataSync(), expected)).toBeLessThan(1e-6);
    tf.dispose([image, out]);
  });

  it('returns the mean luma at 0', () => {
    const image = tf.tensor4d([1, 0, 0, 0, 0, 1], [1, 1, 2, 3]);
    const out = adjustContrast(image, 0);
    const mean = (0.299 + 0.114) / 2;
    expect(maxAbsDiff(out.dataSync(), new Array(6).fill(mean))).toBeLessThan(1e-6);
    tf.dispose([image, out]);
  });
});

describe('adjustSaturation', () => {
  it.each([0, 0.5, 2])('leaves a gray image unchanged at factor %d', (factor) => {
    const image = constantImage([0.3, 0.3, 0.3]);
    const out = adjustSaturation(image, factor);
    expect(maxAbsDiff(out.dataSync(), image.dataSync())).toBeLessThan(1e-6);
    tf.dispose([image, out]);
  });

  it('blends with the luma and clips', () => {
    const pixel: Rgb = [0.8, 0.3, 0.1];
    const image = constantImage(pixel, 1);
    const gray = lumaOf(pixel);
    const out = adjustSaturation(image, 1.8);
    const expected = pixel.map((v) => clip01(1.8 * v - 0.8 * gray));
    expect(maxAbsDiff(out.dataSync(), expected)).toBeLessThan(1e-6);
    tf.dispose([image, out]);
  });
});

describe('grayscale', () => {
  it.each([
    [[1, 0, 0] as Rgb, 0.299],
    [[0, 1, 0] as Rgb, 0.587],
    [[0, 0, 1] as Rgb, 0.114],
    [[1, 1, 1] as Rgb, 1],
  ])('maps %j to luma %d in every channel', (pixel, expected) => {
    const image = constantImage(pixel, 1);
    const out = grayscale(image);
    expect(out.shape).toEqual([1, 1, 1, 3]);
    for (const v of out.dataSync()) {
      expect(v).toBeCloseTo(expected, 6);
    }
    tf.dispose([image, out]);
  });
});

describe('rgbToGrayscale', () => {
  it('returns one channel of BT.601 luma by default', () => {
    // Pure primaries give the weights themselves: 0.299, 0.587, 0.114.
    const image = tf.tensor4d([1, 0, 0, 0, 1, 0, 0, 0, 1], [1, 1, 3, 3]);
    const out = rgbToGrayscale(image);
    expect(out.shape).toEqual([1, 1, 3, 1]);
    expect(maxAbsDiff(out.dataSync(), [0.299, 0.587, 0.114])).toBeLessThan(1e-6);
    tf.dispose([image, out]);
  });

  it('equals grayscale with 3 output channels', () => {
    const images = tf.randomUniform([2, 3, 3, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
    const three = rgbToGrayscale(images, 3);
    const reference = grayscale(images);
    expect(Array.from(three.dataSync())).toEqual(Array.from(reference.dataSync()));
    tf.dispose([images, three, reference]);
  });

  it('rejects 2 output channels', () => {
    const images = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    expect(() => rgbToGrayscale(images, 2 as 1)).toThrow(/outputChannels must be 1 or 3/);
    images.dispose();
  });
});

describe('RandomGrayscale', () => {
  it('converts at rate 0.2 over 10,000 draws', () => {
    const params = new RandomGrayscale({ p: 0.2 }).drawParams([10_000, 4, 4, 3], createRng(9));
    const flags = params.map((param) => param.applied);
    expect(Math.abs(rate(flags) - 0.2)).toBeLessThan(rateTolerance(0.2, flags.length));
  });

  it('returns the grayscale of drawn images and the others unchanged', () => {
    const images = tf.randomUniform([4, 3, 3, 3], 0, 1, 'float32', 10) as tf.Tensor4D;
    const params = [{ applied: true }, { applied: false }, { applied: true }, { applied: false }];
    const out = new RandomGrayscale().applyParams(images, params);
    const gray = grayscale(images);
    const size = 27;
    params.forEach(({ applied }, n) => {
      const expected = (applied ? gray : images).dataSync().slice(n * size, (n + 1) * size);
      expect(Array.from(out.dataSync().slice(n * size, (n + 1) * size))).toEqual(
        Array.from(expected),
      );
    });
    tf.dispose([images, out, gray]);
  });
});

describe('adjustHue', () => {
  it.each([
    [[1, 0, 0] as Rgb, 1 / 3, [0, 1, 0]],
    [[1, 0, 0] as Rgb, -1 / 3, [0, 0, 1]],
    [[0, 1, 0] as Rgb, 1 / 3, [0, 0, 1]],
    [[1, 0, 0] as Rgb, 1 / 6, [1, 1, 0]],
    [[1, 0, 0] as Rgb, 0.5, [0, 1, 1]],
    [[0.5, 0.5, 0.5] as Rgb, 0.25, [0.5, 0.5, 0.5]],
    [[0, 0, 0] as Rgb, 0.25, [0, 0, 0]],
  ])('maps %j shifted by %d turns to %j', (pixel, shift, expected) => {
    const image = constantImage(pixel, 1);
    const out = adjustHue(image, shift);
    expect(maxAbsDiff(firstPixel(out), expected)).toBeLessThan(1e-6);
    tf.dispose([image, out]);
  });

  it.each(['cpu', 'wasm'])('matches colorsys-style HSV rotation on %s', async (backend) => {
    await tf.setBackend(backend);
    const images = tf.randomUniform([4, 6, 5, 3], 0, 1, 'float32', 17) as tf.Tensor4D;
    const shifts = [0.1, -0.3, 0.45, -0.5];
    const out = adjustHue(images, shifts);

    const inputs = toImages(images.dataSync(), images.shape);
    const outputs = toImages(out.dataSync(), out.shape);
    inputs.forEach((image, n) =>
      image.forEach((row, y) =>
        row.forEach((pixel, x) => {
          const expected = shiftHue(pixel, shifts[n]!);
          expect(maxAbsDiff(outputs[n]![y]![x]!, expected)).toBeLessThan(1e-5);
        }),
      ),
    );
    tf.dispose([images, out]);
  });

  it('returns the input at shift 0 up to rounding', () => {
    const images = tf.randomUniform([2, 4, 4, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const out = adjustHue(images, 0);
    expect(maxAbsDiff(out.dataSync(), images.dataSync())).toBeLessThan(1e-6);
    tf.dispose([images, out]);
  });
});

describe('colour op validation', () => {
  const rgb = () => tf.zeros([2, 2, 2, 3]) as tf.Tensor4D;
  type Op = (images: tf.Tensor4D) => tf.Tensor4D;

  it.each<[string, () => tf.Tensor, Op, RegExp]>([
    ['a negative brightness', rgb, (x) => adjustBrightness(x, -0.1), /brightness\[0\] .* >= 0/],
    ['a factor count mismatch', rgb, (x) => adjustContrast(x, [1]), /one value per image \(2\)/],
    ['an infinite saturation', rgb, (x) => adjustSaturation(x, Infinity), /finite/],
    ['a hue beyond half a turn', rgb, (x) => adjustHue(x, 0.6), /\[-0.5, 0.5\]/],
    ['rank 3 input', () => tf.zeros([2, 2, 3]), grayscale, /rank 4/],
    ['4 channels', () => tf.zeros([1, 2, 2, 4]), grayscale, /3 channels/],
    ['int32 input', () => tf.zeros([1, 2, 2, 3], 'int32'), grayscale, /float32/],
  ])('rejects %s', (_name, makeInput, op, message) => {
    const input = makeInput();
    const before = tf.memory().numTensors;
    expect(() => op(input as tf.Tensor4D)).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
    input.dispose();
  });
});

describe('colour op memory', () => {
  it('leaves no tensors behind', () => {
    const images = tf.randomUniform([2, 4, 4, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.dispose([
        adjustBrightness(images, [0.5, 1.2]),
        adjustContrast(images, 0.7),
        adjustSaturation(images, 1.3),
        adjustHue(images, [0.1, -0.2]),
        grayscale(images),
      ]);
    }
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
  });
});
