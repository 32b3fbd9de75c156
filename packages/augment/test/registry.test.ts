import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import {
  Augmentation,
  ColorJitter,
  createAugmentation,
  createRng,
  getAugmentation,
  listAugmentations,
  registerAugmentation,
  type FlagParams,
  type ImageSize,
  type Rng,
} from '../src/index';

/** A small op defined outside the package, as a user would. */
class RandomInvert extends Augmentation<FlagParams> {
  readonly name = 'random-invert';
  readonly p: number;

  constructor(options: { p?: number } = {}) {
    super();
    this.p = options.p ?? 0.5;
  }

  protected drawOne(_size: ImageSize, rng: Rng): FlagParams {
    return { applied: rng.bernoulli(this.p) };
  }

  protected assertParam(param: FlagParams, _size: ImageSize, name: string): void {
    if (typeof param.applied !== 'boolean') {
      throw new TypeError(`${name}.applied must be true or false.`);
    }
  }

  protected applyBatch(images: tf.Tensor4D, params: readonly FlagParams[]): tf.Tensor4D {
    const mask = tf.tensor4d(
      params.map((param) => (param.applied ? 1 : 0)),
      [params.length, 1, 1, 1],
    );
    // x + mask · (1 - 2x) is 1 - x where mask is 1 and x where it is 0.
    return tf.add(images, tf.mul(mask, tf.sub(1, tf.mul(2, images))));
  }
}

describe('registry', () => {
  it('lists the built-in ops, sorted', () => {
    expect(listAugmentations()).toEqual([
      'color-jitter',
      'compose',
      'gaussian-blur',
      'normalize',
      'random-apply',
      'random-grayscale',
      'random-horizontal-flip',
      'random-resized-crop',
      'random-solarize',
      'random-vertical-flip',
    ]);
  });

  it('builds an op by name with options', () => {
    const op = createAugmentation('color-jitter', { brightness: 0.4, order: 'fixed' });
    expect(op).toBeInstanceOf(ColorJitter);
    expect((op as ColorJitter).brightness).toEqual([0.6, 1.4]);
    expect(getAugmentation('color-jitter').description).toMatch(/brightness/);
  });

  it('names the registered ops when a name is unknown', () => {
    expect(() => createAugmentation('random-erasing')).toThrow(
      /Unknown augmentation 'random-erasing'; registered names: color-jitter, compose, /,
    );
  });

  it('registers, builds and applies a new op', () => {
    registerAugmentation({
      name: 'random-invert',
      description: 'invert with probability p',
      create: (options?: { p?: number }) => new RandomInvert(options),
    });
    expect(listAugmentations()).toContain('random-invert');

    const images = tf.tensor4d([0.25, 0.5, 1], [1, 1, 1, 3]);
    const op = createAugmentation('random-invert', { p: 1 });
    const out = op.apply(images, createRng(0));
    expect(Array.from(out.dataSync())).toEqual([0.75, 0.5, 0]);
    tf.dispose([images, out]);
  });

  it.each<[string, object, RegExp]>([
    [
      'a taken name',
      { name: 'compose', description: '', create: () => new ColorJitter() },
      /'compose' is already registered/,
    ],
    [
      'a name with capitals',
      { name: 'RandomInvert', description: '', create: () => new ColorJitter() },
      /name must be kebab-case/,
    ],
    [
      'a missing factory',
      { name: 'random-noise', description: 'noise' },
      /needs a description string and a create function/,
    ],
  ])('rejects %s', (_name, entry, message) => {
    expect(() => registerAugmentation(entry as Parameters<typeof registerAugmentation>[0])).toThrow(
      message,
    );
  });

  it('rejects a factory whose op has another name', () => {
    registerAugmentation({
      name: 'random-mislabelled',
      description: 'builds an op of another name',
      create: () => new ColorJitter(),
    });
    expect(() => createAugmentation('random-mislabelled')).toThrow(
      /registered as 'random-mislabelled' built an op named 'color-jitter'/,
    );
  });
});
