import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import {
  ColorJitter,
  createPreset,
  createRng,
  drawSimclrParams,
  GaussianBlur,
  IMAGENET_MEAN,
  Normalize,
  PRESET_NAMES,
  PRESETS,
  RandomApply,
  RandomGrayscale,
  RandomHorizontalFlip,
  RandomResizedCrop,
  simclrAugment,
  type CropBox,
  type ColorJitterParams,
  type FlagParams,
  type RandomApplyParams,
} from '../src/index';

describe('presets', () => {
  it('are listed by name', () => {
    expect(PRESET_NAMES).toEqual(['simclr-cifar10', 'simclr-imagenet']);
    expect(Object.keys(PRESETS)).toEqual([...PRESET_NAMES]);
  });

  it("builds simclr-cifar10 with the paper's steps at strength 0.5 and no blur", () => {
    const [crop, flip, jitter, gray, ...rest] = createPreset('simclr-cifar10').transforms;
    expect(crop).toBeInstanceOf(RandomResizedCrop);
    expect((crop as RandomResizedCrop).scale).toEqual([0.08, 1]);
    expect((crop as RandomResizedCrop).ratio).toEqual([3 / 4, 4 / 3]);
    expect((flip as RandomHorizontalFlip).p).toBe(0.5);
    expect((jitter as RandomApply<unknown>).p).toBe(0.8);
    const colour = (jitter as RandomApply<unknown>).transform as ColorJitter;
    expect(colour.brightness).toEqual([0.6, 1.4]);
    expect(colour.saturation).toEqual([0.6, 1.4]);
    expect(colour.hue).toEqual([-0.1, 0.1]);
    expect(colour.order).toBe('random');
    expect(gray).toBeInstanceOf(RandomGrayscale);
    expect((gray as RandomGrayscale).p).toBe(0.2);
    expect(rest).toEqual([]);
  });

  it('builds simclr-imagenet at strength 1 with blur half of the time', () => {
    const transforms = createPreset('simclr-imagenet', { size: [224, 224] }).transforms;
    const colour = (transforms[2] as RandomApply<unknown>).transform as ColorJitter;
    expect(colour.contrast[0]).toBeCloseTo(0.2, 12);
    expect(colour.contrast[1]).toBeCloseTo(1.8, 12);
    expect(colour.hue).toEqual([-0.2, 0.2]);
    const blur = transforms[4] as RandomApply<unknown>;
    expect(blur.p).toBe(0.5);
    const gaussian = blur.transform as GaussianBlur;
    expect(gaussian).toBeInstanceOf(GaussianBlur);
    expect(gaussian.sigma).toEqual([0.1, 2.0]);
    expect(gaussian.kernelSizeFor({ height: 224, width: 224 })).toBe(23);
  });

  it.each(PRESET_NAMES)('%s returns views in [0, 1] of the input size', (name) => {
    const images = tf.randomUniform([4, 40, 40, 3], 0, 1, 'float32', 71) as tf.Tensor4D;
    const pipeline = createPreset(name);
    const rng = createRng(72);
    const first = pipeline.apply(images, rng);
    const second = pipeline.apply(images, rng);
    expect(first.shape).toEqual([4, 40, 40, 3]);
    expect(Math.min(...first.dataSync())).toBeGreaterThanOrEqual(0);
    expect(Math.max(...first.dataSync())).toBeLessThanOrEqual(1 + 1e-6);
    expect(Array.from(second.dataSync())).not.toEqual(Array.from(first.dataSync()));
    tf.dispose([images, first, second]);
  });

  it('resizes to the size option and appends normalisation on request', () => {
    const pipeline = createPreset('simclr-imagenet', { size: [24, 24], normalize: true });
    const last = pipeline.transforms[pipeline.transforms.length - 1] as Normalize;
    expect(last).toBeInstanceOf(Normalize);
    expect(last.mean).toEqual(IMAGENET_MEAN);
    const images = tf.randomUniform([2, 48, 40, 3], 0, 1, 'float32', 73) as tf.Tensor4D;
    const view = pipeline.apply(images, createRng(74));
    expect(view.shape).toEqual([2, 24, 24, 3]);
    tf.dispose([images, view]);
  });

  it.each(['fixed', 'random'] as const)(
    'draws what drawSimclrParams draws with jitter order %s',
    (order) => {
      const shape = [32, 16, 16, 3];
      const records = createPreset('simclr-cifar10', { colorJitterOrder: order }).drawParams(
        shape,
        createRng(75),
      ) as unknown as [CropBox, FlagParams, RandomApplyParams<ColorJitterParams>, FlagParams][];
      const legacy = drawSimclrParams(shape, createRng(75), { colorJitterOrder: order });
      expect(records.map((record) => record[0])).toEqual(legacy.crops);
      expect(records.map((record) => record[1].applied)).toEqual(legacy.flips);
      expect(records.map((record) => record[2].applied)).toEqual(legacy.colorJitter);
      expect(records.map((record) => record[2].params?.hue ?? 0)).toEqual(legacy.hue);
      expect(records.map((record) => record[3].applied)).toEqual(legacy.grayscale);
      if (order === 'random') {
        const orders = records.map((record) => record[2].params?.order);
        orders.forEach((value, i) => value && expect(value).toEqual(legacy.jitterOrder![i]));
      }
    },
  );

  it('gives the views of simclrAugment without normalisation', () => {
    const images = tf.randomUniform([6, 12, 12, 3], 0, 1, 'float32', 76) as tf.Tensor4D;
    const preset = createPreset('simclr-cifar10', { colorJitterOrder: 'fixed' });
    const view = preset.apply(images, createRng(77));
    const legacy = simclrAugment(images, createRng(77), { normalize: false });
    // The legacy path folds the flip into the crop box; values agree up to float32 rounding.
    const a = view.dataSync();
    const b = legacy.dataSync();
    let worst = 0;
    a.forEach((value, i) => (worst = Math.max(worst, Math.abs(value - b[i]!))));
    expect(worst).toBeLessThan(1e-5);
    tf.dispose([images, view, legacy]);
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      'an unknown name',
      () => createPreset('byol' as 'simclr-cifar10'),
      /createPreset name must be one of 'simclr-cifar10', 'simclr-imagenet'/,
    ],
    [
      'a zero size',
      () => createPreset('simclr-cifar10', { size: [0, 32] }),
      /createPreset size must be \[height, width\]/,
    ],
    [
      'a non-boolean normalize',
      () => createPreset('simclr-cifar10', { normalize: 1 as unknown as boolean }),
      /normalize must be true or false/,
    ],
  ])('rejects %s', (_name, call, message) => {
    expect(call).toThrow(message);
  });
});
