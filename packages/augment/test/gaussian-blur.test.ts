import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';

import { createRng, GaussianBlur, gaussianBlur, gaussianKernel1d } from '../src/index';
import { ksCriticalValue, ksStatistic, uniformCdf } from './statistics';

afterEach(async () => {
  await tf.setBackend('cpu');
});

// Kernel of size 3 and sigma 1 from the formula exp(-x² / (2σ²)) at x = -1, 0, 1, normalised:
// [e^-1/2, 1, e^-1/2] / (1 + 2 e^-1/2).
const EDGE = Math.exp(-0.5) / (1 + 2 * Math.exp(-0.5));
const CENTRE = 1 / (1 + 2 * Math.exp(-0.5));

/** Blurs one-channel images in plain float64 with reflect padding, one sigma per image. */
function referenceBlur(
  values: ArrayLike<number>,
  [batch, height, width]: readonly number[],
  kernelSize: number,
  sigmas: readonly number[],
): number[] {
  const radius = (kernelSize - 1) / 2;
  const reflect = (i: number, size: number): number => {
    if (i < 0) {
      return -i;
    }
    return i >= size ? 2 * (size - 1) - i : i;
  };
  const out: number[] = [];
  for (let n = 0; n < batch!; n++) {
    const kernel = gaussianKernel1d(kernelSize, sigmas[n]!);
    for (let y = 0; y < height!; y++) {
      for (let x = 0; x < width!; x++) {
        let sum = 0;
        for (let dy = -radius; dy <= radius; dy++) {
          for (let dx = -radius; dx <= radius; dx++) {
            const source =
              (n * height! + reflect(y + dy, height!)) * width! + reflect(x + dx, width!);
            sum += kernel[dy + radius]! * kernel[dx + radius]! * values[source]!;
          }
        }
        out.push(sum);
      }
    }
  }
  return out;
}

describe('gaussianKernel1d', () => {
  it('matches the normalised formula for size 3 and sigma 1', () => {
    const kernel = gaussianKernel1d(3, 1);
    expect(kernel[0]).toBeCloseTo(0.274068619, 9);
    expect(kernel[1]).toBeCloseTo(0.451862762, 9);
    expect(kernel[2]).toBeCloseTo(EDGE, 12);
  });

  it('sums to 1', () => {
    const sum = gaussianKernel1d(23, 0.7).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 12);
  });
});

describe('gaussianBlur', () => {
  it('spreads an impulse into the outer product of the kernel', () => {
    const values = new Array<number>(25).fill(0);
    values[12] = 1;
    const image = tf.tensor4d(values, [1, 5, 5, 1]);
    const out = gaussianBlur(image, 3, 1).dataSync();
    expect(out[12]).toBeCloseTo(CENTRE * CENTRE, 6);
    expect(out[7]).toBeCloseTo(EDGE * CENTRE, 6);
    expect(out[6]).toBeCloseTo(EDGE * EDGE, 6);
    expect(out[0]).toBe(0);
    image.dispose();
  });

  it('keeps a constant image with reflect padding', () => {
    const image = tf.fill([2, 6, 5, 3], 0.7) as tf.Tensor4D;
    const out = gaussianBlur(image, 5, [0.5, 2]);
    for (const value of out.dataSync()) {
      expect(value).toBeCloseTo(0.7, 6);
    }
    tf.dispose([image, out]);
  });

  it('darkens the border with zero padding', () => {
    // At a corner, the kernel weights outside the image multiply 0: (CENTRE + EDGE)² remains.
    const image = tf.ones([1, 5, 5, 1]) as tf.Tensor4D;
    const out = gaussianBlur(image, 3, 1, 'zeros').dataSync();
    expect(out[0]).toBeCloseTo((CENTRE + EDGE) ** 2, 6);
    expect(out[12]).toBeCloseTo(1, 6);
    image.dispose();
  });

  it.each(['cpu', 'wasm'])(
    'matches a float64 reference with one sigma per image on %s',
    async (backend) => {
      await tf.setBackend(backend);
      const images = tf.randomUniform([3, 9, 7, 1], 0, 1, 'float32', 41) as tf.Tensor4D;
      const sigmas = [0.3, 1.1, 2.0];
      const out = gaussianBlur(images, 5, sigmas);
      const expected = referenceBlur(images.dataSync(), images.shape, 5, sigmas);
      const actual = out.dataSync();
      expected.forEach((value, i) => expect(Math.abs(actual[i]! - value)).toBeLessThan(1e-6));
      tf.dispose([images, out]);
    },
  );

  it('blurs each channel separately', () => {
    const images = tf.randomUniform([1, 6, 6, 3], 0, 1, 'float32', 42) as tf.Tensor4D;
    const out = gaussianBlur(images, 3, 0.8);
    for (let c = 0; c < 3; c++) {
      const channel = tf.slice(images, [0, 0, 0, c], [-1, -1, -1, 1]);
      const expected = referenceBlur(channel.dataSync(), [1, 6, 6], 3, [0.8]);
      const actual = tf.slice(out, [0, 0, 0, c], [-1, -1, -1, 1]).dataSync();
      expected.forEach((value, i) => expect(Math.abs(actual[i]! - value)).toBeLessThan(1e-6));
    }
    tf.dispose([images, out]);
  });

  it.each<[string, number, number, RegExp]>([
    ['an even kernel', 4, 1, /kernelSize must be an odd integer >= 1, but got 4/],
    ['a zero sigma', 3, 0, /sigma\[0\] must be a finite number > 0/],
    [
      'a kernel too large to reflect',
      9,
      1,
      /reflect padding needs kernelSize <= 2 · min\(H, W\) - 1 = 7 for 4×5 images, but got kernelSize 9/,
    ],
  ])('rejects %s', (_name, kernelSize, sigma, message) => {
    const images = tf.zeros([1, 4, 5, 3]) as tf.Tensor4D;
    expect(() => gaussianBlur(images, kernelSize, sigma)).toThrow(message);
    images.dispose();
  });
});

describe('GaussianBlur', () => {
  it('draws sigma uniformly in [0.1, 2.0] (Kolmogorov–Smirnov over 10,000 draws)', () => {
    const params = new GaussianBlur().drawParams([10_000, 32, 32, 3], createRng(43));
    const sigmas = params.map((param) => param.sigma);
    expect(Math.min(...sigmas)).toBeGreaterThanOrEqual(0.1);
    expect(Math.max(...sigmas)).toBeLessThan(2.0);
    expect(ksStatistic(sigmas, uniformCdf(0.1, 2.0))).toBeLessThan(ksCriticalValue(10_000));
  });

  it.each([
    [32, 3],
    [30, 3],
    [64, 7],
    [96, 9],
    [224, 23],
    [9, 1],
  ])('sizes the kernel for %d-pixel images as %d, like the official SimCLR code', (side, size) => {
    // data_util.random_blur: kernel_size = height // 10, radius = kernel_size // 2, taps 2r + 1.
    expect(new GaussianBlur().kernelSizeFor({ height: side, width: side })).toBe(size);
    expect(2 * Math.floor(Math.floor(side / 10) / 2) + 1).toBe(size);
  });

  it('uses an explicit kernel size and records it', () => {
    const params = new GaussianBlur({ kernelSize: 5 }).drawParams([2, 32, 32, 3], createRng(44));
    expect(params.map((param) => param.kernelSize)).toEqual([5, 5]);
  });

  it('blurs hand-made records of different kernel sizes', () => {
    const images = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 45) as tf.Tensor4D;
    const blur = new GaussianBlur();
    const out = blur.applyParams(images, [
      { sigma: 1, kernelSize: 3 },
      { sigma: 1, kernelSize: 5 },
    ]);
    const first = gaussianBlur(tf.slice(images, [0], [1]) as tf.Tensor4D, 3, 1);
    const second = gaussianBlur(tf.slice(images, [1], [1]) as tf.Tensor4D, 5, 1);
    expect(Array.from(out.dataSync())).toEqual([...first.dataSync(), ...second.dataSync()]);
    tf.dispose([images, out, first, second]);
  });

  it.each<[string, object, RegExp]>([
    [
      'both kernel options',
      { kernelSize: 3, kernelSizeFraction: 0.2 },
      /kernelSize or kernelSizeFraction, not both/,
    ],
    ['an even kernel size', { kernelSize: 6 }, /GaussianBlur kernelSize must be an odd integer/],
    ['a zero sigma', { sigma: [0, 1] }, /GaussianBlur sigma must be \[lo, hi\] with finite 0 < lo/],
    [
      'an unknown padding',
      { padding: 'edge' },
      /GaussianBlur padding must be one of 'reflect', 'zeros'/,
    ],
  ])('rejects %s', (_name, options, message) => {
    expect(() => new GaussianBlur(options)).toThrow(message);
  });

  it('rejects images too small for a reflected kernel before drawing', () => {
    const blur = new GaussianBlur({ kernelSize: 9 });
    expect(() => blur.drawParams([1, 3, 8, 3], createRng(0))).toThrow(/reflect padding needs/);
    expect(
      new GaussianBlur({ kernelSize: 9, padding: 'zeros' }).drawParams([1, 3, 8, 3], createRng(0)),
    ).toHaveLength(1);
  });
});
