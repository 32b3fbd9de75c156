import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import { createRng, RandomResizedCrop, resizedCrop, type CropBox } from '../src/index';
import {
  chiSquare,
  chiSquareCriticalValue,
  ksCriticalValue,
  ksStatistic,
  numericCdf,
} from './statistics';

// 10,000 boxes on a 1000×1000 image: the shortest side is about sqrt(0.08) · 1000 = 283
// pixels, so rounding to whole pixels moves an area fraction or a ratio by under 0.4%.
const DRAWS = 10_000;
const SIDE = 1000;
const SCALE = [0.08, 1] as const;
const LOG_RATIO = Math.log(4 / 3);

function drawBoxes(seed: number): CropBox[] {
  const crop = new RandomResizedCrop({ scale: [...SCALE], ratio: [3 / 4, 4 / 3] });
  return crop.drawParams([DRAWS, SIDE, SIDE, 3], createRng(seed));
}

// torchvision's sampler draws (s, t) uniformly on [0.08, 1] × [-ln(4/3), ln(4/3)], with s the
// area fraction and t the log aspect ratio, and accepts the box when both sides fit. On a
// square image that is s·e^t <= 1 and s·e^-t <= 1, i.e. s <= e^-|t|. An attempt fails with
// probability 0.142, so all 10 fail (the centre-crop fallback) with probability 3e-9, and the
// accepted boxes are uniform on the region s <= e^-|t|. Its marginal densities follow.
const areaDensity = (s: number) => 2 * Math.min(LOG_RATIO, -Math.log(s));
const logRatioDensity = (t: number) => Math.exp(-Math.abs(t)) - SCALE[0];

describe('RandomResizedCrop sampling', () => {
  const boxes = drawBoxes(2024);

  it('keeps every box inside the image and in range', () => {
    for (const box of boxes) {
      expect(box.top + box.height).toBeLessThanOrEqual(SIDE);
      expect(box.left + box.width).toBeLessThanOrEqual(SIDE);
      const area = (box.height * box.width) / (SIDE * SIDE);
      expect(area).toBeGreaterThan(SCALE[0] * 0.99);
      expect(area).toBeLessThanOrEqual(1);
      const logRatio = Math.log(box.width / box.height);
      expect(Math.abs(logRatio)).toBeLessThan(LOG_RATIO + 0.005);
    }
  });

  it('distributes the area as the accepted region predicts (Kolmogorov–Smirnov)', () => {
    const areas = boxes.map((box) => (box.height * box.width) / (SIDE * SIDE));
    const cdf = numericCdf(areaDensity, SCALE[0], 1);
    expect(ksStatistic(areas, cdf)).toBeLessThan(ksCriticalValue(DRAWS));
  });

  it('distributes the log aspect ratio as the accepted region predicts (Kolmogorov–Smirnov)', () => {
    const logRatios = boxes.map((box) => Math.log(box.width / box.height));
    const cdf = numericCdf(logRatioDensity, -LOG_RATIO, LOG_RATIO);
    expect(ksStatistic(logRatios, cdf)).toBeLessThan(ksCriticalValue(DRAWS));
  });

  it('rejects a plain uniform area, so the KS test has power', () => {
    // Without the rejection of boxes that don't fit, areas would be uniform on [0.08, 1].
    const areas = boxes.map((box) => (box.height * box.width) / (SIDE * SIDE));
    const uniform = (x: number) => (x - SCALE[0]) / (1 - SCALE[0]);
    expect(ksStatistic(areas, uniform)).toBeGreaterThan(ksCriticalValue(DRAWS));
  });

  it('places boxes uniformly (chi-square over 10 bins)', () => {
    // top is uniform on {0, ..., M} with M = H - height; bin k contains tops with
    // floor(10 · top / (M + 1)) = k, whose exact expected count is summed over the boxes.
    const observed = new Array<number>(10).fill(0);
    const expected = new Array<number>(10).fill(0);
    for (const box of boxes) {
      const positions = SIDE - box.height + 1;
      observed[Math.floor((10 * box.top) / positions)]! += 1;
      for (let top = 0; top < positions; top++) {
        expected[Math.floor((10 * top) / positions)]! += 1 / positions;
      }
    }
    expect(chiSquare(observed, expected)).toBeLessThan(chiSquareCriticalValue(9));
  });
});

describe('RandomResizedCrop', () => {
  it('resizes to the size option', () => {
    const images = tf.randomUniform([3, 20, 16, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const crop = new RandomResizedCrop({ size: [8, 10] });
    expect(crop.outputSize({ height: 20, width: 16 })).toEqual({ height: 8, width: 10 });
    const output = crop.apply(images, createRng(1));
    expect(output.shape).toEqual([3, 8, 10, 3]);
    tf.dispose([images, output]);
  });

  it('samples a known box of a gradient image at the output size', () => {
    // R = y / 10 and G = x / 10 are linear, so bilinear sampling is exact. Output row i of a
    // box of height h at `top` samples row top + i (h - 1) / (outH - 1) (align corners).
    const values: number[] = [];
    for (let y = 0; y < 12; y++) {
      for (let x = 0; x < 12; x++) {
        values.push(y / 10, x / 10, 0);
      }
    }
    const image = tf.tensor4d(values, [1, 12, 12, 3]);
    const box: CropBox = { top: 2, left: 3, height: 7, width: 5 };
    const output = new RandomResizedCrop({ size: [4, 3] }).applyParams(image, [box]);
    const data = output.dataSync();
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 3; j++) {
        const offset = (i * 3 + j) * 3;
        expect(data[offset]).toBeCloseTo((2 + (i * 6) / 3) / 10, 4);
        expect(data[offset + 1]).toBeCloseTo((3 + (j * 4) / 2) / 10, 4);
      }
    }
    tf.dispose([image, output]);
  });

  it('equals resizedCrop with the drawn boxes', () => {
    const images = tf.randomUniform([4, 10, 10, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const crop = new RandomResizedCrop({ size: [6, 6] });
    const boxes = crop.drawParams(images.shape, createRng(3));
    const viaOp = crop.applyParams(images, boxes);
    const viaFunction = resizedCrop(images, boxes, { size: [6, 6] });
    expect(Array.from(viaOp.dataSync())).toEqual(Array.from(viaFunction.dataSync()));
    tf.dispose([images, viaOp, viaFunction]);
  });

  it('crops images of any channel count', () => {
    const images = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
    const output = new RandomResizedCrop().apply(images, createRng(4));
    expect(output.shape).toEqual([2, 8, 8, 1]);
    tf.dispose([images, output]);
  });

  it.each<[string, object, RegExp]>([
    ['a scale above 1', { scale: [0.5, 1.2] }, /RandomResizedCrop scale must be \[lo, hi\]/],
    ['a zero ratio', { ratio: [0, 1] }, /RandomResizedCrop ratio/],
    ['a fractional size', { size: [8.5, 8] }, /RandomResizedCrop size must be \[height, width\]/],
    ['a non-boolean sameOnBatch', { sameOnBatch: 'yes' }, /sameOnBatch must be true or false/],
  ])('rejects %s', (_name, options, message) => {
    expect(() => new RandomResizedCrop(options)).toThrow(message);
  });

  it('rejects a box outside the image', () => {
    const images = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    const box: CropBox = { top: 4, left: 0, height: 5, width: 8 };
    expect(() => new RandomResizedCrop().applyParams(images, [box])).toThrow(
      /random-resized-crop params\[0\] must be whole pixels inside the 8×8 image/,
    );
    images.dispose();
  });
});
