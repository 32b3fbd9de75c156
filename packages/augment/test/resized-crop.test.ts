import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';

import { createRng, drawCropBox, resizedCrop, type CropBox } from '../src/index';
import { maxAbsDifference, referenceResizedCrop, toImages } from './reference';

// A gradient image whose channels are linear in (y, x), so bilinear sampling is exact:
// R = y / 10, G = x / 10, B = (y + x) / 20.
function gradientImages(batch: number, height: number, width: number): tf.Tensor4D {
  const values: number[] = [];
  for (let n = 0; n < batch; n++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        values.push(y / 10, x / 10, (y + x) / 20);
      }
    }
  }
  return tf.tensor4d(values, [batch, height, width, 3]);
}

afterEach(async () => {
  await tf.setBackend('cpu');
});

describe('resizedCrop', () => {
  it('samples a gradient box exactly', () => {
    const images = gradientImages(1, 8, 6);
    const crop: CropBox = { top: 2, left: 1, height: 4, width: 3 };
    const out = resizedCrop(images, [crop]);

    // Output row i samples source row top + i (h - 1) / (H - 1), and likewise for columns.
    const values = out.dataSync();
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 6; j++) {
        const y = 2 + (i * 3) / 7;
        const x = 1 + (j * 2) / 5;
        const offset = (i * 6 + j) * 3;
        expect(values[offset]).toBeCloseTo(y / 10, 5);
        expect(values[offset + 1]).toBeCloseTo(x / 10, 5);
        expect(values[offset + 2]).toBeCloseTo((y + x) / 20, 5);
      }
    }
    tf.dispose([images, out]);
  });

  it('returns the input for the full box', () => {
    const images = tf.randomUniform([2, 5, 7, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const full: CropBox = { top: 0, left: 0, height: 5, width: 7 };
    const out = resizedCrop(images, [full, full]);
    expect(Array.from(out.dataSync())).toEqual(Array.from(images.dataSync()));
    tf.dispose([images, out]);
  });

  it('mirrors only the flagged images', () => {
    const images = tf.randomUniform([2, 4, 5, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const full: CropBox = { top: 0, left: 0, height: 4, width: 5 };
    const out = resizedCrop(images, [full, full], [true, false]);
    const mirrored = tf.reverse(images, 2);

    const expectedFirst = Array.from(mirrored.dataSync().slice(0, 60));
    const expectedSecond = Array.from(images.dataSync().slice(60));
    const actual = Array.from(out.dataSync());
    // Border ends move 3e-5 pixel inwards (see insetSpan), so values on random
    // images differ from the source by up to 3e-5 plus float32 rounding.
    const maxDifference = (a: number[], b: number[]) =>
      Math.max(...a.map((value, i) => Math.abs(value - b[i]!)));
    expect(maxDifference(actual.slice(0, 60), expectedFirst)).toBeLessThan(1e-4);
    expect(maxDifference(actual.slice(60), expectedSecond)).toBeLessThan(1e-4);
    tf.dispose([images, out, mirrored]);
  });

  it.each(['cpu', 'wasm'])('matches a plain bilinear reference on %s', async (backend) => {
    await tf.setBackend(backend);
    const images = tf.randomUniform([3, 9, 7, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const crops: CropBox[] = [
      { top: 1, left: 2, height: 5, width: 4 },
      { top: 0, left: 0, height: 1, width: 7 },
      { top: 3, left: 1, height: 6, width: 6 },
    ];
    const flips = [false, true, true];
    const out = resizedCrop(images, crops, flips);

    const inputs = toImages(images.dataSync(), images.shape);
    const outputs = toImages(out.dataSync(), out.shape);
    inputs.forEach((image, n) => {
      const expected = referenceResizedCrop(image, crops[n]!, flips[n]!);
      // 5e-5 allows for the 3e-5-pixel inset of border ends.
      expect(maxAbsDifference(outputs[n]!, expected)).toBeLessThan(5e-5);
    });
    tf.dispose([images, out]);
  });

  it('handles 1-pixel images', () => {
    const images = tf.tensor4d([0.2, 0.4, 0.6], [1, 1, 1, 3]);
    const out = resizedCrop(images, [{ top: 0, left: 0, height: 1, width: 1 }], [true]);
    expect(Array.from(out.dataSync())).toEqual(Array.from(images.dataSync()));
    tf.dispose([images, out]);
  });

  it.each<[string, CropBox[], boolean[] | undefined, RegExp]>([
    ['a box past the bottom', [{ top: 2, left: 0, height: 3, width: 1 }], undefined, /inside/],
    ['a fractional box', [{ top: 0.5, left: 0, height: 1, width: 1 }], undefined, /whole pixels/],
    ['an empty box', [{ top: 0, left: 0, height: 0, width: 1 }], undefined, /height >= 1/],
    ['a missing crop', [], undefined, /one crop and one flip flag per image \(1\)/],
    ['extra flips', [{ top: 0, left: 0, height: 1, width: 1 }], [true, false], /2 flags/],
  ])('rejects %s', (_name, crops, flips, message) => {
    const images = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
    expect(() => resizedCrop(images, crops, flips)).toThrow(message);
    images.dispose();
  });

  it('leaves no tensors behind', () => {
    const images = tf.zeros([2, 4, 4, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const box: CropBox = { top: 1, left: 1, height: 2, width: 3 };
    for (let i = 0; i < 5; i++) {
      resizedCrop(images, [box, box], [true, false]).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
  });
});

describe('drawCropBox', () => {
  it('keeps area and aspect ratio in range', () => {
    const rng = createRng(12);
    const height = 32;
    const width = 32;
    for (let i = 0; i < 3000; i++) {
      const box = drawCropBox(height, width, rng, [0.08, 1], [3 / 4, 4 / 3]);
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.top + box.height).toBeLessThanOrEqual(height);
      expect(box.left + box.width).toBeLessThanOrEqual(width);

      // Rounding moves each side by at most 0.5 pixel. For a target area A with sides w0 and
      // h0, the area then falls by at most 0.5 (w0 + h0), and w0 + h0 is largest at ratio 4/3.
      const minArea = 0.08 * height * width;
      const maxSideSum = Math.sqrt(minArea) * (Math.sqrt(4 / 3) + Math.sqrt(3 / 4));
      const area = box.height * box.width;
      expect(area).toBeGreaterThanOrEqual(minArea - 0.5 * maxSideSum);
      expect(area).toBeLessThanOrEqual(height * width);

      // The same rounding changes w/h by at most a factor (m + 0.5) / (m - 0.5), m the shorter side.
      const shorter = Math.min(box.width, box.height);
      const slack = (shorter + 0.5) / (shorter - 0.5);
      const ratio = box.width / box.height;
      expect(ratio).toBeGreaterThanOrEqual(3 / 4 / slack);
      expect(ratio).toBeLessThanOrEqual((4 / 3) * slack);
    }
  });

  it('spreads areas over the whole scale range', () => {
    const rng = createRng(13);
    const fractions = Array.from({ length: 3000 }, () => {
      const box = drawCropBox(64, 64, rng, [0.08, 1], [3 / 4, 4 / 3]);
      return (box.height * box.width) / 4096;
    });
    expect(Math.min(...fractions)).toBeLessThan(0.1);
    expect(Math.max(...fractions)).toBeGreaterThan(0.9);
  });

  it('returns the full square image', () => {
    const box = drawCropBox(32, 32, createRng(0), [1, 1], [1, 1]);
    expect(box).toEqual({ top: 0, left: 0, height: 32, width: 32 });
  });

  it.each<[string, () => unknown, RegExp]>([
    ['a zero height', () => drawCropBox(0, 8, createRng(0), [0.5, 1], [1, 1]), /integers >= 1/],
    ['a fractional width', () => drawCropBox(8, 7.5, createRng(0), [0.5, 1], [1, 1]), /7.5/],
    ['a scale above 1', () => drawCropBox(8, 8, createRng(0), [0.5, 2], [1, 1]), /scale .* <= 1/],
    ['a reversed ratio', () => drawCropBox(8, 8, createRng(0), [0.5, 1], [2, 1]), /ratio must be/],
    ['an infinite ratio', () => drawCropBox(8, 8, createRng(0), [0.5, 1], [1, Infinity]), /finite/],
  ])('rejects %s', (_name, call, message) => {
    expect(call).toThrow(message);
  });

  it('falls back to a centred box', () => {
    // An aspect ratio of at least 10 never fits in a 32x32 image at 90% area or more.
    const box = drawCropBox(32, 32, createRng(1), [0.9, 1], [10, 20]);
    expect(box).toEqual({ top: 14, left: 0, height: 3, width: 32 });
  });

  it('falls back to a full-height box', () => {
    const box = drawCropBox(20, 40, createRng(1), [0.99, 1], [0.1, 0.2]);
    // Image ratio 2 > 0.2, so the height stays 20 and the width becomes round(20 * 0.2) = 4.
    expect(box).toEqual({ top: 0, left: 18, height: 20, width: 4 });
  });
});

describe('resizedCrop on the image border', () => {
  it('never samples outside the image on wasm', async () => {
    await tf.setBackend('wasm');
    // A constant image: any extrapolated sample would show up as 0.
    const images = tf.fill([4, 32, 32, 3], 0.5) as tf.Tensor4D;
    const crops: CropBox[] = [
      { top: 5, left: 0, height: 27, width: 25 },
      { top: 0, left: 7, height: 25, width: 25 },
      { top: 3, left: 3, height: 29, width: 29 },
      { top: 0, left: 0, height: 31, width: 32 },
    ];
    const out = resizedCrop(images, crops, [true, true, false, true]);
    expect(tf.min(out).dataSync()[0]).toBeCloseTo(0.5, 6);
    tf.dispose([images, out]);
    await tf.setBackend('cpu');
  });
});
