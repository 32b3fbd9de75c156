import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import {
  ColorJitter,
  Compose,
  createRng,
  GaussianBlur,
  RandomApply,
  RandomGrayscale,
  RandomHorizontalFlip,
  RandomResizedCrop,
  RandomSolarize,
  type ComposeParams,
  type CropBox,
  type RandomApplyParams,
} from '../src/index';
import { rate, rateTolerance } from './statistics';

function pipeline(): Compose {
  return new Compose({
    transforms: [
      new RandomResizedCrop(),
      new RandomHorizontalFlip(),
      new RandomApply({ transform: new ColorJitter({ brightness: 0.4, hue: 0.1 }), p: 0.8 }),
      new RandomGrayscale({ p: 0.2 }),
    ],
  });
}

describe('Compose', () => {
  it('draws image after image, so a larger batch extends a smaller one', () => {
    const small = pipeline().drawParams([4, 16, 16, 3], createRng(61));
    const large = pipeline().drawParams([8, 16, 16, 3], createRng(61));
    expect(large.slice(0, 4)).toEqual(small);
  });

  it('equals its ops applied one after another', () => {
    const images = tf.randomUniform([5, 12, 12, 3], 0, 1, 'float32', 62) as tf.Tensor4D;
    const compose = pipeline();
    const params = compose.drawParams(images.shape, createRng(63));
    const composed = compose.applyParams(images, params);

    let view = images;
    compose.transforms.forEach((transform, k) => {
      const next = transform.applyParams(
        view,
        params.map((param) => param[k]),
      );
      if (view !== images) {
        view.dispose();
      }
      view = next;
    });
    expect(Array.from(composed.dataSync())).toEqual(Array.from(view.dataSync()));
    tf.dispose([images, composed, view]);
  });

  it('passes each op the size the previous one produced', () => {
    const compose = new Compose({
      transforms: [new RandomResizedCrop({ size: [40, 40] }), new GaussianBlur()],
    });
    const params = compose.drawParams([2, 100, 100, 3], createRng(64));
    // The blur receives 40×40 images, so its kernel is 2·floor(4/2) + 1 = 5, not 11.
    params.forEach((param) => expect((param[1] as { kernelSize: number }).kernelSize).toBe(5));
    expect(compose.outputSize({ height: 100, width: 100 })).toEqual({ height: 40, width: 40 });
  });

  it("shares only the sameOnBatch op's draw", () => {
    const compose = new Compose({
      transforms: [
        new RandomResizedCrop({ sameOnBatch: true }),
        new ColorJitter({ brightness: 0.5 }),
      ],
    });
    const params = compose.drawParams([6, 16, 16, 3], createRng(65));
    const crops = params.map((param) => param[0] as CropBox);
    crops.forEach((crop) => expect(crop).toEqual(crops[0]));
    const brightness = new Set(
      params.map((param) => (param[1] as { brightness: number }).brightness),
    );
    expect(brightness.size).toBe(6);
  });

  it('shares a nested sameOnBatch draw across images', () => {
    const inner = new RandomSolarize({ threshold: 0.5, p: 1, sameOnBatch: true });
    const compose = new Compose({ transforms: [new RandomApply({ transform: inner, p: 0.5 })] });
    const params = compose.drawParams([20, 4, 4, 3], createRng(66));
    const applied = params
      .map((param) => param[0] as RandomApplyParams<unknown>)
      .filter((param) => param.applied);
    expect(applied.length).toBeGreaterThan(1);
    applied.forEach((param) => expect(param.params).toBe(applied[0]!.params));
  });

  it('rejects a record with the wrong number of entries', () => {
    const images = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    const bad: ComposeParams[] = [[{ top: 0, left: 0, height: 8, width: 8 }]];
    expect(() => pipeline().applyParams(images, bad)).toThrow(
      /compose params\[0\] must be an array of 4 records, one per op/,
    );
    images.dispose();
  });

  it('names the op of a bad nested record', () => {
    const images = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    const compose = pipeline();
    const [record] = compose.drawParams(images.shape, createRng(67));
    const bad = [...record!];
    bad[1] = { applied: 'yes' };
    expect(() => compose.applyParams(images, [bad])).toThrow(
      /compose params\[0\]\[1\] \(random-horizontal-flip\).applied must be true or false/,
    );
    images.dispose();
  });

  it('rejects something that is not an op', () => {
    expect(() => new Compose({ transforms: [{} as RandomGrayscale] })).toThrow(
      /Compose transforms\[0\] must be an Augmentation/,
    );
  });
});

describe('RandomApply', () => {
  it('applies at rate 0.8 over 10,000 draws and draws the op only then', () => {
    const apply = new RandomApply({ transform: new ColorJitter({ brightness: 0.4 }), p: 0.8 });
    const params = apply.drawParams([10_000, 4, 4, 3], createRng(68));
    const flags = params.map((param) => param.applied);
    expect(Math.abs(rate(flags) - 0.8)).toBeLessThan(rateTolerance(0.8, flags.length));
    params.forEach((param) => expect(param.params === null).toBe(!param.applied));
  });

  it('changes only the selected images', () => {
    const images = tf.randomUniform([6, 5, 5, 3], 0, 1, 'float32', 69) as tf.Tensor4D;
    const apply = new RandomApply({ transform: new RandomSolarize({ p: 1 }), p: 0.5 });
    const params = apply.drawParams(images.shape, createRng(70));
    expect(new Set(params.map((param) => param.applied)).size).toBe(2);
    const out = apply.applyParams(images, params);
    const size = 75;
    params.forEach((param, n) => {
      const before = images.dataSync().slice(n * size, (n + 1) * size);
      const after = out.dataSync().slice(n * size, (n + 1) * size);
      if (param.applied) {
        expect(Array.from(after)).not.toEqual(Array.from(before));
      } else {
        expect(Array.from(after)).toEqual(Array.from(before));
      }
    });
    tf.dispose([images, out]);
  });

  it('rejects an op that changes the image size', () => {
    const apply = new RandomApply({ transform: new RandomResizedCrop({ size: [4, 4] }) });
    expect(() => apply.drawParams([1, 8, 8, 3], createRng(0))).toThrow(
      /RandomApply needs an op that keeps the image size, but random-resized-crop turns 8×8 into 4×4/,
    );
  });

  it('rejects params for an image that skips the op', () => {
    const images = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
    const apply = new RandomApply({ transform: new RandomSolarize() });
    const bad = [{ applied: false, params: { applied: true, threshold: 0.5 } }];
    expect(() => apply.applyParams(images, bad)).toThrow(
      /params must be null when applied is false/,
    );
    images.dispose();
  });
});
