import { describe, expect, it } from 'vitest';

import {
  CIFAR10_MEAN,
  CIFAR10_STD,
  createRng,
  drawSimclrParams,
  JITTER_STEPS,
  sliceSimclrParams,
  SIMCLR_DEFAULTS,
  type SimclrAugmentOptions,
} from '../src/index';
import { drawLegacySimclrParams } from './legacy-draw';
import { rate, rateTolerance as tolerance } from './statistics';

const SHAPE = [4000, 32, 32, 3];

describe('drawSimclrParams', () => {
  const params = drawSimclrParams(SHAPE, createRng(2024));
  const count = SHAPE[0]!;

  it.each([
    ['flips', 0.5],
    ['colorJitter', 0.8],
    ['grayscale', 0.2],
  ] as const)('draws %s at rate %d', (field, p) => {
    expect(params[field]).toHaveLength(count);
    expect(Math.abs(rate(params[field]) - p)).toBeLessThan(tolerance(p, count));
  });

  it('draws jitter factors in the strength-0.5 ranges', () => {
    // s = 0.5: brightness, contrast, saturation in [0.6, 1.4], hue in [-0.1, 0.1].
    params.colorJitter.forEach((jitter, i) => {
      for (const field of ['brightness', 'contrast', 'saturation'] as const) {
        const factor = params[field][i]!;
        if (jitter) {
          expect(factor).toBeGreaterThanOrEqual(0.6);
          expect(factor).toBeLessThan(1.4);
        } else {
          expect(factor).toBe(1);
        }
      }
      const hue = params.hue[i]!;
      expect(Math.abs(hue)).toBeLessThanOrEqual(jitter ? 0.1 : 0);
    });
  });

  it('spreads jitter factors uniformly', () => {
    const jittered = params.brightness.filter((_, i) => params.colorJitter[i]);
    const mean = jittered.reduce((sum, v) => sum + v, 0) / jittered.length;
    // U(0.6, 1.4) has mean 1 and standard deviation 0.8 / sqrt(12).
    expect(Math.abs(mean - 1)).toBeLessThan((5 * 0.8) / Math.sqrt(12 * jittered.length));
    const lowQuarter = jittered.filter((v) => v < 0.8).length / jittered.length;
    expect(Math.abs(lowQuarter - 0.25)).toBeLessThan(tolerance(0.25, jittered.length));
  });

  it('draws crops inside the image', () => {
    for (const crop of params.crops) {
      expect(crop.top + crop.height).toBeLessThanOrEqual(32);
      expect(crop.left + crop.width).toBeLessThanOrEqual(32);
      expect((crop.height * crop.width) / 1024).toBeGreaterThan(0.06);
      expect(crop.width / crop.height).toBeGreaterThan(0.6);
      expect(crop.width / crop.height).toBeLessThan(1.6);
    }
  });

  it('gives two images different parameters', () => {
    const small = drawSimclrParams([2, 32, 32, 3], createRng(1), { colorJitterProbability: 1 });
    expect(small.crops[0]).not.toEqual(small.crops[1]);
    expect(small.brightness[0]).not.toBe(small.brightness[1]);
    expect(small.hue[0]).not.toBe(small.hue[1]);
  });

  it('depends only on the seed', () => {
    const a = drawSimclrParams([8, 16, 16, 3], createRng(77));
    const b = drawSimclrParams([8, 16, 16, 3], createRng(77));
    const c = drawSimclrParams([8, 16, 16, 3], createRng(78));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('carries the normalisation statistics or null', () => {
    expect(params.normalization).toEqual({ mean: CIFAR10_MEAN, std: CIFAR10_STD });
    const plain = drawSimclrParams([1, 4, 4, 3], createRng(0), { normalize: false });
    expect(plain.normalization).toBeNull();
  });

  it('uses the documented defaults', () => {
    expect(SIMCLR_DEFAULTS).toEqual({
      cropScale: [0.08, 1],
      cropRatio: [3 / 4, 4 / 3],
      flipProbability: 0.5,
      colorJitterProbability: 0.8,
      colorStrength: 0.5,
      colorJitterOrder: 'fixed',
      grayscaleProbability: 0.2,
      normalize: true,
      mean: [0.4914, 0.4822, 0.4465],
      std: [0.247, 0.2435, 0.2616],
    });
  });

  it('draws identity at probability 0', () => {
    const identity = drawSimclrParams([5, 8, 8, 3], createRng(3), {
      cropScale: [1, 1],
      cropRatio: [1, 1],
      flipProbability: 0,
      colorJitterProbability: 0,
      grayscaleProbability: 0,
    });
    expect(identity.crops).toEqual(new Array(5).fill({ top: 0, left: 0, height: 8, width: 8 }));
    expect(identity.flips).toEqual(new Array(5).fill(false));
    expect(identity.brightness).toEqual(new Array(5).fill(1));
    expect(identity.hue).toEqual(new Array(5).fill(0));
    expect(identity.grayscale).toEqual(new Array(5).fill(false));
  });

  it('scales the jitter ranges with colorStrength', () => {
    const strong = drawSimclrParams([2000, 4, 4, 3], createRng(4), {
      colorJitterProbability: 1,
      colorStrength: 2,
    });
    // s = 2: factors in [max(0, 1 - 1.6), 2.6] = [0, 2.6], hue in [-0.4, 0.4].
    expect(Math.min(...strong.saturation)).toBeGreaterThanOrEqual(0);
    expect(Math.min(...strong.saturation)).toBeLessThan(0.05);
    expect(Math.max(...strong.saturation)).toBeLessThan(2.6);
    expect(Math.max(...strong.saturation)).toBeGreaterThan(2.5);
    expect(Math.max(...strong.hue.map(Math.abs))).toBeLessThanOrEqual(0.4);
    expect(Math.max(...strong.hue.map(Math.abs))).toBeGreaterThan(0.39);
  });

  it.each<[string, SimclrAugmentOptions]>([
    ['the defaults', {}],
    [
      'strength 2 and other rates',
      { colorStrength: 2, flipProbability: 0.3, grayscaleProbability: 0.6 },
    ],
    ['strength 0', { colorStrength: 0, colorJitterProbability: 1 }],
    ['a narrow crop range', { cropScale: [0.9, 1], cropRatio: [2, 3] }],
  ])('keeps the parameter stream of earlier versions for %s', (_name, options) => {
    const shape = [64, 24, 20, 3];
    const rng = createRng(99);
    const legacyRng = createRng(99);
    // Two views in a row, as the trainer draws them: the second starts where the first ended.
    for (let view = 0; view < 2; view++) {
      const params = drawSimclrParams(shape, rng, options);
      expect(params).toEqual(drawLegacySimclrParams(shape, legacyRng, options));
      expect(params).not.toHaveProperty('jitterOrder');
    }
    expect(rng.getState()).toEqual(legacyRng.getState());
  });

  it('draws a jitter order per image with colorJitterOrder random', () => {
    const random = drawSimclrParams([2000, 8, 8, 3], createRng(6), {
      colorJitterOrder: 'random',
      colorJitterProbability: 1,
    });
    expect(random.jitterOrder).toHaveLength(2000);
    for (const order of random.jitterOrder!) {
      expect([...order].sort()).toEqual([...JITTER_STEPS].sort());
    }
    const distinct = new Set(random.jitterOrder!.map((order) => order.join()));
    // 2,000 draws of 24 permutations leave none out unless the shuffle is broken.
    expect(distinct.size).toBe(24);
  });

  it('gives unjittered images the fixed order', () => {
    const params = drawSimclrParams([500, 8, 8, 3], createRng(7), { colorJitterOrder: 'random' });
    params.colorJitter.forEach((jitter, i) => {
      if (!jitter) {
        expect(params.jitterOrder![i]).toEqual(JITTER_STEPS);
      }
    });
  });

  it.each<[string, SimclrAugmentOptions, RegExp]>([
    [
      'cropScale above 1',
      { cropScale: [0.5, 1.5] },
      /cropScale must be \[lo, hi\] with finite 0 < lo <= hi <= 1/,
    ],
    ['cropScale reversed', { cropScale: [0.9, 0.1] }, /cropScale/],
    ['cropRatio at 0', { cropRatio: [0, 1] }, /cropRatio/],
    [
      'flipProbability 2',
      { flipProbability: 2 },
      /flipProbability must be a probability in \[0, 1\]/,
    ],
    ['colorJitterProbability -1', { colorJitterProbability: -1 }, /colorJitterProbability/],
    ['grayscaleProbability NaN', { grayscaleProbability: NaN }, /grayscaleProbability/],
    ['colorStrength 3', { colorStrength: 3 }, /colorStrength must be in \[0, 2.5\]/],
    [
      'an unknown jitter order',
      { colorJitterOrder: 'shuffled' as 'random' },
      /colorJitterOrder must be one of 'random', 'fixed'/,
    ],
    ['a zero std', { std: [1, 0, 1] }, /std must be 3 finite numbers > 0/],
  ])('rejects %s', (_name, options, message) => {
    expect(() => drawSimclrParams([1, 8, 8, 3], createRng(0), options)).toThrow(message);
  });

  it.each([[[8, 8, 3]], [[1, 8, 8, 4]], [[0, 8, 8, 3]], [[1, 8.5, 8, 3]]])(
    'rejects image shape %j',
    (shape) => {
      expect(() => drawSimclrParams(shape, createRng(0))).toThrow(
        /imageShape must be \[N, H, W, 3\]/,
      );
    },
  );

  it('treats undefined options as defaults', () => {
    const a = drawSimclrParams([3, 8, 8, 3], createRng(5), { flipProbability: undefined });
    const b = drawSimclrParams([3, 8, 8, 3], createRng(5));
    expect(a).toEqual(b);
  });
});

describe('sliceSimclrParams', () => {
  const params = drawSimclrParams([6, 32, 32, 3], createRng(5));

  it('keeps the entries of the range', () => {
    const slice = sliceSimclrParams(params, 2, 5);
    expect(slice.crops).toEqual(params.crops.slice(2, 5));
    expect(slice.hue).toEqual(params.hue.slice(2, 5));
    expect(slice.grayscale).toEqual(params.grayscale.slice(2, 5));
    expect(slice.imageHeight).toBe(32);
  });

  it('slices the jitter order when present', () => {
    const random = drawSimclrParams([6, 8, 8, 3], createRng(8), { colorJitterOrder: 'random' });
    expect(sliceSimclrParams(random, 1, 3).jitterOrder).toEqual(random.jitterOrder!.slice(1, 3));
    expect(sliceSimclrParams(params, 1, 3)).not.toHaveProperty('jitterOrder');
  });

  it('rebuilds the batch from its shares', () => {
    const shares = [sliceSimclrParams(params, 0, 4), sliceSimclrParams(params, 4, 6)];
    expect(shares.flatMap((share) => share.brightness)).toEqual(params.brightness);
    expect(shares.flatMap((share) => share.flips)).toEqual(params.flips);
  });

  it.each([
    [-1, 2],
    [3, 3],
    [0, 7],
  ])('rejects the range [%d, %d)', (start, end) => {
    expect(() => sliceSimclrParams(params, start, end)).toThrow(/invalid range/);
  });
});
