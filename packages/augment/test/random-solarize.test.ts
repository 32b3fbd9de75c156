// Tests of RandomSolarize beyond the conformance suite: golden values of the functional form,
// the drawing rate, and option checks. CONTRIBUTING.md walks through this file.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import { createRng, RandomSolarize, solarize } from '../src/index';
import { rate, rateTolerance } from './statistics';

describe('solarize', () => {
  it('inverts values at or above the threshold', () => {
    // From the definition x >= t ? 1 - x : x with t = 0.5; 0.5 itself is inverted to 0.5.
    const image = tf.tensor4d([0, 0.2, 0.5, 0.7, 1, 0.49], [1, 2, 1, 3]);
    const out = solarize(image, 0.5);
    const expected = [0, 0.2, 0.5, 0.3, 0, 0.49];
    Array.from(out.dataSync()).forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 6));
    tf.dispose([image, out]);
  });

  it('takes one threshold per image', () => {
    const images = tf.tensor4d([0.6, 0.6], [2, 1, 1, 1]);
    const out = solarize(images, [0.5, 0.7]);
    expect(out.dataSync()[0]).toBeCloseTo(0.4, 6);
    expect(out.dataSync()[1]).toBeCloseTo(0.6, 6);
    tf.dispose([images, out]);
  });

  it('inverts the whole image at threshold 0', () => {
    const image = tf.tensor4d([0, 0.25, 1], [1, 1, 1, 3]);
    const out = solarize(image, 0);
    expect(Array.from(out.dataSync())).toEqual([1, 0.75, 0]);
    tf.dispose([image, out]);
  });

  it('rejects a threshold above 1', () => {
    const image = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    expect(() => solarize(image, 1.5)).toThrow(
      /solarize threshold\[0\] must be a finite number in \[0, 1\]/,
    );
    image.dispose();
  });
});

describe('RandomSolarize', () => {
  it('solarizes at rate 0.2 over 10,000 draws', () => {
    const params = new RandomSolarize({ p: 0.2 }).drawParams([10_000, 4, 4, 3], createRng(51));
    const flags = params.map((param) => param.applied);
    expect(Math.abs(rate(flags) - 0.2)).toBeLessThan(rateTolerance(0.2, flags.length));
  });

  it('records the threshold in every record', () => {
    const params = new RandomSolarize({ threshold: 0.3 }).drawParams([4, 2, 2, 3], createRng(52));
    params.forEach((param) => expect(param.threshold).toBe(0.3));
  });

  it('solarizes only the images drawn for it', () => {
    const images = tf.randomUniform([3, 4, 4, 3], 0, 1, 'float32', 53) as tf.Tensor4D;
    const params = [
      { applied: true, threshold: 0.5 },
      { applied: false, threshold: 0.5 },
      { applied: true, threshold: 0.8 },
    ];
    const out = new RandomSolarize().applyParams(images, params);
    const size = 48;
    params.forEach(({ applied, threshold }, n) => {
      const image = tf.slice(images, [n], [1]) as tf.Tensor4D;
      const expected = applied ? solarize(image, threshold) : image;
      expect(Array.from(out.dataSync().slice(n * size, (n + 1) * size))).toEqual(
        Array.from(expected.dataSync()),
      );
      tf.dispose([image, expected]);
    });
    tf.dispose([images, out]);
  });

  it.each<[string, object, RegExp]>([
    [
      'a threshold above 1',
      { threshold: 1.2 },
      /RandomSolarize threshold must be a finite number in \[0, 1\]/,
    ],
    ['a negative probability', { p: -0.1 }, /RandomSolarize p must be a probability in \[0, 1\]/],
  ])('rejects %s', (_name, options, message) => {
    expect(() => new RandomSolarize(options)).toThrow(message);
  });

  it('rejects a record without a threshold', () => {
    const image = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    const record = { applied: true } as unknown as { applied: boolean; threshold: number };
    expect(() => new RandomSolarize().applyParams(image, [record])).toThrow(
      /random-solarize params\[0\].threshold must be a finite number in \[0, 1\], but got undefined/,
    );
    image.dispose();
  });
});
