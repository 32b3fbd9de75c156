import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsortedSegmentSum } from '../src/kernels/unsorted-segment-sum';
import { registerWasmTrainingKernels, restoreWasmKernels } from '../src/register-wasm-kernels';
import { backendDataIds, relativeError, seededValues, valuesOn } from './helpers';

interface SegmentCase {
  name: string;
  xShape: number[];
  ids: number[];
  idsShape?: number[];
  numSegments: number;
}

const CASES: SegmentCase[] = [
  { name: '1-D values', xShape: [5], ids: [0, 2, 0, 1, 2], numSegments: 3 },
  { name: 'rows with an empty segment', xShape: [4, 3], ids: [3, 0, 3, 1], numSegments: 5 },
  { name: 'ids out of range are dropped', xShape: [4, 2], ids: [-1, 1, 7, 1], numSegments: 3 },
  { name: 'rank-3 values', xShape: [6, 2, 3], ids: [1, 1, 0, 2, 0, 1], numSegments: 3 },
  { name: '2-D ids', xShape: [2, 3, 4], ids: [0, 1, 2, 2, 1, 0], idsShape: [2, 3], numSegments: 3 },
  { name: 'one segment', xShape: [7, 16], ids: [0, 0, 0, 0, 0, 0, 0], numSegments: 1 },
];

const TOLERANCE = 1e-5;

function segmentSumKernel(c: SegmentCase, values: Float32Array): tf.Tensor {
  const x = tf.tensor(values, c.xShape);
  const segmentIds = tf.tensor(c.ids, c.idsShape ?? [c.ids.length], 'int32');
  return tf
    .engine()
    .runKernel(
      tf.UnsortedSegmentSum,
      { x, segmentIds },
      { numSegments: c.numSegments },
    ) as tf.Tensor;
}

describe('composed UnsortedSegmentSum', () => {
  beforeAll(() => {
    registerWasmTrainingKernels();
  });
  afterAll(async () => {
    restoreWasmKernels();
    await tf.setBackend('cpu');
  });

  it.each(CASES.filter((c) => c.idsShape === undefined))('matches cpu: $name', async (c) => {
    const values = seededValues(tf.util.sizeFromShape(c.xShape), 11);
    const [expected] = await valuesOn('cpu', () => segmentSumKernel(c, values));
    const [actual] = await valuesOn('wasm', () => segmentSumKernel(c, values));

    expect(actual!.length).toBe(expected!.length);
    expect(relativeError(actual!, expected!)).toBeLessThan(TOLERANCE);
  });

  it('sums rows of 2-D ids on wasm', async () => {
    const c = CASES.find((k) => k.idsShape !== undefined)!;
    const values = Float32Array.from({ length: 24 }, (_, i) => i);
    const [actual] = await valuesOn('wasm', () => segmentSumKernel(c, values));

    // Rows of 4 values: ids [0, 1, 2, 2, 1, 0] put rows 0 and 5 in segment 0, and so on.
    const row = (i: number) => Array.from({ length: 4 }, (_, j) => 4 * i + j);
    const sum = (a: number[], b: number[]) => a.map((v, j) => v + b[j]!);
    const expected = [...sum(row(0), row(5)), ...sum(row(1), row(4)), ...sum(row(2), row(3))];
    expect(Array.from(actual!)).toEqual(expected);
  });

  it('keeps int32 values and dtype', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([5, -2, 7, 1], 'int32');
    const segmentIds = tf.tensor1d([1, 0, 1, 1], 'int32');
    const sums = tf
      .engine()
      .runKernel(tf.UnsortedSegmentSum, { x, segmentIds }, { numSegments: 2 }) as tf.Tensor;

    expect(sums.dtype).toBe('int32');
    expect(Array.from(sums.dataSync())).toEqual([-2, 13]);
    tf.dispose([x, segmentIds, sums]);
  });

  it('splits many segments into blocks', async () => {
    await tf.setBackend('wasm');
    // Blocks of 64 / 16 = 4 segments, so 10 segments take three blocks.
    const ids = [9, 0, 4, 4, 1, 8, 5, 9, 2, 7, 3, 6, 9, 0, 5, 4];
    const sums = tf.tidy(() =>
      unsortedSegmentSum(tf.ones([16, 2]), tf.tensor1d(ids, 'int32'), 10, 64),
    );
    const counts = new Array<number>(10).fill(0);
    ids.forEach((id) => counts[id]!++);

    expect(sums.shape).toEqual([10, 2]);
    expect(Array.from(sums.dataSync()).filter((_, i) => i % 2 === 0)).toEqual(counts);
    sums.dispose();
  });

  it.each([
    [-1, /integer ≥ 0, but got -1/],
    [1.5, /integer ≥ 0, but got 1.5/],
  ])('rejects numSegments %s', (numSegments, message) => {
    const x = tf.ones([2, 2]);
    const ids = tf.tensor1d([0, 1], 'int32');

    expect(() => unsortedSegmentSum(x, ids, numSegments)).toThrow(message);
    tf.dispose([x, ids]);
  });

  it('rejects ids that are not a prefix of x', () => {
    const x = tf.ones([3, 2]);
    const ids = tf.tensor1d([0, 1], 'int32');

    expect(() => unsortedSegmentSum(x, ids, 2)).toThrow(
      /\[2\] must be a prefix of x shape \[3,2\]/,
    );
    tf.dispose([x, ids]);
  });

  it.each([0, 1])('gather gradient along axis %i matches cpu', async (axis) => {
    const params = seededValues(6 * 5, 21);
    const indices = [4, 0, 4, 2, 5, 4, 1];
    const upstream = seededValues(7 * 5, 22);
    const gradient = () => {
      const x = tf.tensor2d(params, axis === 0 ? [6, 5] : [5, 6]);
      const dy = tf.tensor2d(upstream, axis === 0 ? [7, 5] : [5, 7]);
      const f = (p: tf.Tensor) =>
        tf.sum(tf.mul(tf.gather(p, tf.tensor1d(indices, 'int32'), axis), dy));
      return tf.grad(f)(x);
    };
    const [expected] = await valuesOn('cpu', gradient);
    const [actual] = await valuesOn('wasm', gradient);

    expect(relativeError(actual!, expected!)).toBeLessThan(TOLERANCE);
  });

  it('repeated gather gradients leak nothing', async () => {
    await tf.setBackend('wasm');
    const table = tf.variable(tf.tensor2d(seededValues(40, 31), [10, 4]));
    const indices = tf.tensor1d([3, 3, 9, 0], 'int32');
    const step = () => {
      const { grads, value } = tf.variableGrads(() => tf.sum(tf.square(tf.gather(table, indices))));
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = backendDataIds();

    for (let i = 0; i < 5; i++) {
      step();
    }

    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(backendDataIds()).toBe(buffersBefore);
    tf.dispose([table, indices]);
  });
});
