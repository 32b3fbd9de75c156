// The checks that every registered op must pass, in the spirit of kornia's shared augmentation
// test base. conformance.test.ts runs them for every name in the registry, with the case of
// that name from conformance-cases.ts.
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect, it } from 'vitest';

import { createAugmentation, createRng, type Augmentation } from '../src/index';

/** How to exercise one registered op. */
export interface ConformanceCase {
  /** Options under which the op draws (for an op that draws nothing, typical options). */
  readonly options: object;
  /** Options under which the op returns its input: p 0, strength 0, kernel size 1 and so on. */
  readonly identityOptions: object;
  /** Whether the op promises outputs in [0, 1] for inputs in [0, 1]. */
  readonly keepsRange: boolean;
  /** Whether the op draws random parameters (false for Normalize). */
  readonly random: boolean;
  /** Largest difference from the input allowed under `identityOptions`. Default 0: exact. */
  readonly identityTolerance?: number;
}

const SHAPE = [6, 16, 12, 3] as const;
// Outputs may leave [0, 1] by float32 rounding of a convex combination, at most a few ulps.
const RANGE_SLACK = 1e-6;
const BACKEND_TOLERANCE = 1e-4;

/** Random pixels plus pure black and white ones, so clipping and range edges are exercised. */
function testImages(seed: number, batch: number = SHAPE[0]): tf.Tensor4D {
  return tf.tidy(() => {
    const [, height, width, channels] = SHAPE;
    const random = tf.randomUniform([batch, height, width, channels], 0, 1, 'float32', seed);
    const rows = tf.reshape(tf.range(0, height), [1, height, 1, 1]);
    const black = tf.equal(rows, 0);
    const white = tf.equal(rows, height - 1);
    return tf.where(black, 0, tf.where(white, 1, random)) as tf.Tensor4D;
  });
}

function repeatImage(seed: number, batch: number): tf.Tensor4D {
  return tf.tidy(() => tf.tile(testImages(seed, 1), [batch, 1, 1, 1]) as tf.Tensor4D);
}

function imageValues(images: tf.Tensor4D, index: number): Float32Array {
  const size = images.shape[1] * images.shape[2] * images.shape[3];
  return (images.dataSync() as Float32Array).slice(index * size, (index + 1) * size);
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  }
  return worst;
}

const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Defines the conformance tests of the op registered as `name` in the enclosing describe. */
export function describeConformance(name: string, spec: ConformanceCase): void {
  const create = (options: object = spec.options): Augmentation<unknown> =>
    createAugmentation(name, options);

  afterEach(async () => {
    await tf.setBackend('cpu');
  });

  it('keeps dtype and the declared output shape', () => {
    const images = testImages(1);
    const op = create();
    const output = op.apply(images, createRng(1));
    const size = op.outputSize({ height: SHAPE[1], width: SHAPE[2] });
    expect(output.shape).toEqual([SHAPE[0], size.height, size.width, SHAPE[3]]);
    expect(output.dtype).toBe('float32');
    tf.dispose([images, output]);
  });

  if (spec.keepsRange) {
    it('keeps values in [0, 1]', () => {
      const images = testImages(2);
      const output = create().apply(images, createRng(2));
      const values = output.dataSync();
      expect(Math.min(...values)).toBeGreaterThanOrEqual(-RANGE_SLACK);
      expect(Math.max(...values)).toBeLessThanOrEqual(1 + RANGE_SLACK);
      tf.dispose([images, output]);
    });
  }

  if (spec.random) {
    it('draws each image independently', () => {
      const params = create().drawParams([16, SHAPE[1], SHAPE[2], SHAPE[3]], createRng(3));
      const distinct = new Set(params.map((param) => JSON.stringify(param)));
      expect(distinct.size).toBeGreaterThan(1);
    });

    it('transforms equal images differently', () => {
      const images = repeatImage(4, 8);
      const output = create().apply(images, createRng(4));
      const first = imageValues(output, 0);
      const differing = [1, 2, 3, 4, 5, 6, 7].filter(
        (i) => maxAbsDifference(imageValues(output, i), first) > 0,
      );
      expect(differing.length).toBeGreaterThan(0);
      tf.dispose([images, output]);
    });

    it('shares one draw with sameOnBatch', () => {
      const op = create({ ...spec.options, sameOnBatch: true });
      const params = op.drawParams([8, SHAPE[1], SHAPE[2], SHAPE[3]], createRng(5));
      params.forEach((param) => expect(param).toEqual(params[0]));

      const images = repeatImage(5, 4);
      const output = op.apply(images, createRng(5));
      for (let i = 1; i < 4; i++) {
        expect(maxAbsDifference(imageValues(output, i), imageValues(output, 0))).toBe(0);
      }
      tf.dispose([images, output]);
    });
  }

  it('applies each image on its own', () => {
    const images = testImages(6);
    const op = create();
    const params = op.drawParams(images.shape, createRng(6));
    const batched = op.applyParams(images, params);
    for (let i = 0; i < SHAPE[0]; i++) {
      const single = tf.slice(images, [i, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
      const alone = op.applyParams(single, [params[i]]);
      expect(maxAbsDifference(alone.dataSync(), imageValues(batched, i))).toBeLessThan(1e-6);
      tf.dispose([single, alone]);
    }
    tf.dispose([images, batched]);
  });

  it('repeats under the same seed', () => {
    const images = testImages(7);
    const op = create();
    expect(op.drawParams(images.shape, createRng(7))).toEqual(
      op.drawParams(images.shape, createRng(7)),
    );
    const a = op.apply(images, createRng(7));
    const b = op.apply(images, createRng(7));
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    if (spec.random) {
      expect(op.drawParams(images.shape, createRng(8))).not.toEqual(
        op.drawParams(images.shape, createRng(7)),
      );
    }
    tf.dispose([images, a, b]);
  });

  it('returns the input at identity settings', () => {
    const images = testImages(9);
    const output = create(spec.identityOptions).apply(images, createRng(9));
    expect(output.shape).toEqual(images.shape);
    const tolerance = spec.identityTolerance ?? 0;
    expect(maxAbsDifference(output.dataSync(), images.dataSync())).toBeLessThanOrEqual(tolerance);
    tf.dispose([images, output]);
  });

  it('leaves images unchanged with its identity record, if it has one', () => {
    const images = testImages(14);
    const op = create();
    const identity = op.identityParams({ height: SHAPE[1], width: SHAPE[2] });
    if (identity === undefined) {
      return;
    }
    const output = op.applyParams(images, new Array(SHAPE[0]).fill(identity));
    // A hue rotation by 0 is the identity up to float32 rounding.
    expect(maxAbsDifference(output.dataSync(), images.dataSync())).toBeLessThan(1e-6);
    tf.dispose([images, output]);
  });

  it('replays its parameters from JSON', () => {
    const images = testImages(10);
    const op = create();
    const view = op.apply(images, createRng(10));
    const params = roundTrip(op.drawParams(images.shape, createRng(10)));
    const replay = op.applyParams(images, params);
    expect(Array.from(replay.dataSync())).toEqual(Array.from(view.dataSync()));
    tf.dispose([images, view, replay]);
  });

  it('rejects a wrong number of records', () => {
    const images = testImages(11);
    const op = create();
    const params = op.drawParams(images.shape, createRng(11));
    const before = tf.memory().numTensors;
    expect(() => op.applyParams(images, params.slice(1))).toThrow(
      /params must have one record per image \(6\), but got 5 records/,
    );
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
  });

  it.each(['cpu', 'wasm'])('leaves no tensors behind on %s', async (backend) => {
    await tf.setBackend(backend);
    const images = testImages(12);
    const op = create();
    const rng = createRng(12);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      op.apply(images, rng).dispose();
      op.applyParams(images, op.drawParams(images.shape, rng)).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
  });

  it('agrees between cpu and wasm', async () => {
    const op = create();
    const inputs = testImages(13);
    const values = inputs.dataSync().slice();
    const shape = inputs.shape;
    inputs.dispose();
    const params = op.drawParams(shape, createRng(13));

    const outputs: Float32Array[] = [];
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const images = tf.tensor4d(values, shape);
      const output = op.applyParams(images, params);
      outputs.push(output.dataSync() as Float32Array);
      tf.dispose([images, output]);
    }
    expect(maxAbsDifference(outputs[0]!, outputs[1]!)).toBeLessThan(BACKEND_TOLERANCE);
  });
}
