import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';

import {
  adjustContrast,
  ColorJitter,
  createRng,
  JITTER_STEPS,
  type ColorJitterParams,
  type JitterStep,
} from '../src/index';
import {
  clip01,
  lumaOf,
  maxAbsDifference,
  referenceJitterStep,
  toImages,
  type Rgb,
} from './reference';
import {
  chiSquare,
  chiSquareCriticalValue,
  ksCriticalValue,
  ksStatistic,
  uniformCdf,
} from './statistics';

afterEach(async () => {
  await tf.setBackend('cpu');
});

const DRAWS = 10_000;

describe('ColorJitter sampling', () => {
  const jitter = new ColorJitter({
    brightness: 0.8,
    contrast: 1.5,
    saturation: [0.2, 1.7],
    hue: 0.3,
  });
  const params = jitter.drawParams([DRAWS, 4, 4, 3], createRng(31));

  // brightness x draws from [max(0, 1 - x), 1 + x]; a range is taken as is; hue h from [-h, h].
  it.each<[keyof ColorJitterParams, number, number]>([
    ['brightness', 0.2, 1.8],
    ['contrast', 0, 2.5],
    ['saturation', 0.2, 1.7],
    ['hue', -0.3, 0.3],
  ])('draws %s uniformly in [%d, %d]', (field, lo, hi) => {
    const values = params.map((param) => param[field] as number);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(lo);
    expect(Math.max(...values)).toBeLessThan(hi);
    expect(ksStatistic(values, uniformCdf(lo, hi))).toBeLessThan(ksCriticalValue(DRAWS));
  });

  it('draws each of the 24 orders equally often (chi-square)', () => {
    const counts = new Map<string, number>();
    for (const param of params) {
      const key = param.order.join();
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    const observed = [...counts.values()];
    const expected = observed.map(() => DRAWS / 24);
    expect(chiSquare(observed, expected)).toBeLessThan(chiSquareCriticalValue(23));
  });

  it.each([0, 1, 2, 3])('puts each step at position %d a quarter of the time', (position) => {
    const observed = JITTER_STEPS.map(
      (step) => params.filter((param) => param.order[position] === step).length,
    );
    expect(chiSquare(observed, [2500, 2500, 2500, 2500])).toBeLessThan(chiSquareCriticalValue(3));
  });

  it('keeps the fixed order and four draws per image with order fixed', () => {
    const rng = createRng(32);
    const fixed = new ColorJitter({ brightness: 0.5, order: 'fixed' }).drawParams(
      [9, 4, 4, 3],
      rng,
    );
    fixed.forEach((param) => expect(param.order).toEqual(JITTER_STEPS));

    const reference = createRng(32);
    for (let i = 0; i < 9 * 4; i++) {
      reference.next();
    }
    expect(rng.getState()).toEqual(reference.getState());
  });

  it('draws the same numbers whatever the strengths', () => {
    const weak = new ColorJitter().drawParams([5, 4, 4, 3], createRng(33));
    const strong = new ColorJitter({ brightness: 0.9, hue: 0.5 }).drawParams(
      [5, 4, 4, 3],
      createRng(33),
    );
    expect(strong.map((param) => param.order)).toEqual(weak.map((param) => param.order));
    weak.forEach((param) => {
      expect([param.brightness, param.contrast, param.saturation, param.hue]).toEqual([1, 1, 1, 0]);
    });
  });
});

describe('ColorJitter apply', () => {
  it.each(['cpu', 'wasm'])("runs the steps in each image's order on %s", async (backend) => {
    await tf.setBackend(backend);
    const jitter = new ColorJitter({ brightness: 0.6, contrast: 0.6, saturation: 0.6, hue: 0.3 });
    const images = tf.randomUniform([10, 5, 4, 3], 0, 1, 'float32', 34) as tf.Tensor4D;
    const params = jitter.drawParams(images.shape, createRng(35));
    const output = jitter.applyParams(images, params);

    const inputs = toImages(images.dataSync(), images.shape);
    const outputs = toImages(output.dataSync(), output.shape);
    inputs.forEach((image, n) => {
      const param = params[n]!;
      let expected = image;
      for (const step of param.order) {
        expected = referenceJitterStep(expected, step, param[step]);
      }
      // Float32 rounding, amplified by factors up to 1.6 over four steps.
      expect(maxAbsDifference(outputs[n]!, expected)).toBeLessThan(2e-5);
    });
    tf.dispose([images, output]);
  });

  it.each(['cpu', 'wasm'])(
    'schedules hand-made orders with identity steps on %s',
    async (backend) => {
      await tf.setBackend(backend);
      const jitter = new ColorJitter();
      const make = (order: JitterStep[], b: number, c: number, s: number, h: number) => ({
        brightness: b,
        contrast: c,
        saturation: s,
        hue: h,
        order,
      });
      // Hue first, hue last, no hue, identity steps between others, and no step at all.
      const params: ColorJitterParams[] = [
        make(['hue', 'contrast', 'brightness', 'saturation'], 1.3, 0.6, 1.7, 0.2),
        make(['saturation', 'brightness', 'contrast', 'hue'], 0.7, 1.5, 0.4, -0.3),
        make(['contrast', 'hue', 'saturation', 'brightness'], 1.4, 1.2, 1.6, 0),
        make(['brightness', 'hue', 'contrast', 'saturation'], 1, 0.5, 1.8, 0.1),
        make(['saturation', 'contrast', 'hue', 'brightness'], 1, 1, 1, 0),
        make(['hue', 'saturation', 'brightness', 'contrast'], 1.6, 1, 1, 0.45),
      ];
      const images = tf.randomUniform([6, 5, 4, 3], 0, 1, 'float32', 39) as tf.Tensor4D;
      const output = jitter.applyParams(images, params);
      const inputs = toImages(images.dataSync(), images.shape);
      const outputs = toImages(output.dataSync(), output.shape);
      inputs.forEach((image, n) => {
        const param = params[n]!;
        let expected = image;
        for (const step of param.order) {
          expected = referenceJitterStep(expected, step, param[step]);
        }
        expect(maxAbsDifference(outputs[n]!, expected)).toBeLessThan(2e-5);
      });
      tf.dispose([images, output]);
    },
  );

  it('gives different results for two orders of the same factors', () => {
    const image = tf.randomUniform([1, 6, 6, 3], 0, 1, 'float32', 36) as tf.Tensor4D;
    const factors = { brightness: 1.6, contrast: 0.5, saturation: 1.8, hue: 0.2 };
    const jitter = new ColorJitter();
    const forward = jitter.applyParams(image, [{ ...factors, order: [...JITTER_STEPS] }]);
    const backward = jitter.applyParams(image, [
      { ...factors, order: [...JITTER_STEPS].reverse() },
    ]);
    expect(Array.from(backward.dataSync())).not.toEqual(Array.from(forward.dataSync()));
    tf.dispose([image, forward, backward]);
  });

  it('turns red to green at a third turn', () => {
    // HSV hue of red is 0 and of green 1/3, with S = V = 1 for both.
    const red = tf.tensor4d([1, 0, 0], [1, 1, 1, 3]);
    const jitter = new ColorJitter({ hue: [1 / 3, 1 / 3] });
    const output = jitter.apply(red, createRng(0));
    const [r, g, b] = Array.from(output.dataSync());
    expect(r).toBeCloseTo(0, 6);
    expect(g).toBeCloseTo(1, 6);
    expect(b).toBeCloseTo(0, 6);
    tf.dispose([red, output]);
  });

  it("blends contrast with each channel's mean with contrastMean channel", () => {
    const images = tf.randomUniform([3, 5, 5, 3], 0, 1, 'float32', 37) as tf.Tensor4D;
    const jitter = new ColorJitter({ contrast: 0.7, contrastMean: 'channel' });
    const params = jitter.drawParams(images.shape, createRng(38));
    const output = jitter.applyParams(images, params);
    const inputs = toImages(images.dataSync(), images.shape);
    const outputs = toImages(output.dataSync(), output.shape);
    inputs.forEach((image, n) => {
      const expected = referenceJitterStep(image, 'contrast', params[n]!.contrast, 'channel');
      expect(maxAbsDifference(outputs[n]!, expected)).toBeLessThan(1e-6);
    });
    tf.dispose([images, output]);
  });

  it.each<[string, object, RegExp]>([
    [
      'a negative brightness',
      { brightness: -0.1 },
      /ColorJitter brightness must be a finite number >= 0/,
    ],
    [
      'a hue above half a turn',
      { hue: 0.6 },
      /ColorJitter hue must be a finite number in \[0, 0.5\]/,
    ],
    [
      'a reversed saturation range',
      { saturation: [1.5, 0.5] },
      /ColorJitter saturation must be \[lo, hi\]/,
    ],
    ['an unknown order', { order: 'sorted' }, /ColorJitter order must be one of 'random', 'fixed'/],
    [
      'an unknown contrast mean',
      { contrastMean: 'median' },
      /contrastMean must be one of 'grayscale', 'channel'/,
    ],
  ])('rejects %s', (_name, options, message) => {
    expect(() => new ColorJitter(options)).toThrow(message);
  });

  it.each<[string, Partial<ColorJitterParams>, RegExp]>([
    [
      'a hue of one turn',
      { hue: 1 },
      /color-jitter params\[0\].hue must be a finite number in \[-0.5, 0.5\]/,
    ],
    [
      'a missing step',
      { order: ['hue', 'hue', 'contrast', 'brightness'] },
      /order must be a permutation/,
    ],
    ['a negative contrast', { contrast: -1 }, /params\[0\].contrast must be a finite number >= 0/],
  ])('rejects params with %s', (_name, edit, message) => {
    const image = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    const param = {
      brightness: 1,
      contrast: 1,
      saturation: 1,
      hue: 0,
      order: [...JITTER_STEPS],
      ...edit,
    };
    expect(() => new ColorJitter().applyParams(image, [param as ColorJitterParams])).toThrow(
      message,
    );
    image.dispose();
  });
});

describe('adjustContrast of a constant image', () => {
  // A constant colour c: its luma mean is Y(c), its channel means are c itself.
  const colour: Rgb = [0.9, 0.3, 0.2];

  it('moves towards the luma with the grayscale mean', () => {
    const image = tf.tensor4d([...colour, ...colour, ...colour, ...colour], [1, 2, 2, 3]);
    const output = adjustContrast(image, 0.5);
    const y = lumaOf(colour);
    const expected = colour.map((value) => clip01(0.5 * value + 0.5 * y));
    const values = Array.from(output.dataSync());
    values.forEach((value, i) => expect(value).toBeCloseTo(expected[i % 3]!, 6));
    tf.dispose([image, output]);
  });

  it('stays unchanged with the channel mean', () => {
    const image = tf.tensor4d([...colour, ...colour, ...colour, ...colour], [1, 2, 2, 3]);
    const output = adjustContrast(image, 0.5, 'channel');
    const values = Array.from(output.dataSync());
    values.forEach((value, i) => expect(value).toBeCloseTo(colour[i % 3]!, 6));
    tf.dispose([image, output]);
  });
});
