import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyQueue, infoNceLoss } from '../src/index';
import { SeededNormal } from './float64-reference';
import { expectNoLeaks } from './harness';
import { naiveInfoNce } from './reference/info-nce';

/** Returns a `[rows, dimension]` batch whose row r is filled with the value first + r. */
function batch(first: number, rows: number, dimension = 2): tf.Tensor2D {
  return tf.tensor2d(Array.from({ length: rows }, (_, r) => Array(dimension).fill(first + r)));
}

function firstColumn(queue: KeyQueue): number[] {
  return (queue.keys.arraySync() as number[][]).map((row) => row[0]!);
}

describe('KeyQueue', () => {
  const queues: KeyQueue[] = [];
  const createQueue = (capacity: number, dimension = 2) => {
    const queue = new KeyQueue({ capacity, dimension });
    queues.push(queue);
    return queue;
  };

  afterEach(() => {
    queues.splice(0).forEach((queue) => queue.dispose());
  });

  it('starts empty with shape [0, D]', () => {
    const queue = createQueue(4, 3);

    expect(queue.size).toBe(0);
    expect(queue.keys.shape).toEqual([0, 3]);
    expect(queue.capacity).toBe(4);
    expect(queue.dimension).toBe(3);
  });

  it('keeps the newest keys first and drops the oldest beyond capacity', () => {
    const queue = createQueue(5);
    const steps = [
      { first: 10, rows: 2, expected: [10, 11] },
      { first: 20, rows: 2, expected: [20, 21, 10, 11] },
      { first: 30, rows: 2, expected: [30, 31, 20, 21, 10] },
      { first: 40, rows: 1, expected: [40, 30, 31, 20, 21] },
    ];

    for (const { first, rows, expected } of steps) {
      const keys = batch(first, rows);
      queue.enqueue(keys);
      keys.dispose();

      expect(firstColumn(queue)).toEqual(expected);
      expect(queue.size).toBe(expected.length);
    }
  });

  it('stores only the first capacity rows of an oversized batch', () => {
    const queue = createQueue(3);
    const keys = batch(0, 5);

    queue.enqueue(keys);

    expect(firstColumn(queue)).toEqual([0, 1, 2]);
    keys.dispose();
  });

  it('copies the keys, so the caller may dispose them', () => {
    const queue = createQueue(4);
    const keys = batch(7, 2);

    queue.enqueue(keys);
    keys.dispose();

    expect(firstColumn(queue)).toEqual([7, 8]);
  });

  it('keeps its keys when enqueue runs inside tf.tidy', () => {
    const queue = createQueue(4);

    tf.tidy(() => queue.enqueue(batch(1, 2)));

    expect(queue.keys.isDisposed).toBe(false);
    expect(firstColumn(queue)).toEqual([1, 2]);
  });

  it('serves as the negatives of infoNceLoss', () => {
    const random = new SeededNormal(5);
    const [query, positiveKey, older, newer] = [
      random.matrix(4, 6),
      random.matrix(4, 6),
      random.matrix(3, 6),
      random.matrix(3, 6),
    ];
    const queue = createQueue(5, 6);
    [older, newer].forEach((keys) => tf.tidy(() => queue.enqueue(tf.tensor2d(keys!))));

    const loss = tf.tidy(
      () =>
        infoNceLoss(tf.tensor2d(query!), tf.tensor2d(positiveKey!), queue.keys, {
          temperature: 0.2,
        }).dataSync()[0]!,
    );
    // Capacity 5 keeps the 3 newer keys and the first 2 of the older ones.
    const negatives = [...newer!, ...older!.slice(0, 2)];

    expect(loss).toBeCloseTo(naiveInfoNce(query!, positiveKey!, negatives, 0.2), 5);
  });

  it('holds one tensor however many keys pass through it', () => {
    const queue = createQueue(6, 4);
    const keys = tf.randomNormal([4, 4]) as tf.Tensor2D;
    queue.enqueue(keys);

    expectNoLeaks(() => queue.enqueue(keys), 10);
    keys.dispose();
  });

  it('frees its tensor on dispose and then rejects use', () => {
    const before = tf.memory().numTensors;
    const queue = new KeyQueue({ capacity: 4, dimension: 2 });
    const keys = batch(0, 2);
    queue.enqueue(keys);
    keys.dispose();

    queue.dispose();
    queue.dispose();

    expect(tf.memory().numTensors).toBe(before);
    expect(() => queue.keys).toThrow(/disposed/);
    expect(() => queue.size).toThrow(/disposed/);
    expect(() => queue.enqueue(batch(0, 1))).toThrow(/disposed/);
  });

  it.each([
    { options: { capacity: 0, dimension: 2 }, message: /capacity must be an integer ≥ 1, got 0/ },
    {
      options: { capacity: 2.5, dimension: 2 },
      message: /capacity must be an integer ≥ 1, got 2.5/,
    },
    {
      options: { capacity: 4, dimension: -1 },
      message: /dimension must be an integer ≥ 1, got -1/,
    },
  ])('rejects options $options', ({ options, message }) => {
    expect(() => new KeyQueue(options)).toThrow(message);
  });

  it.each([
    { shape: [2, 3], message: /keys must have shape \[B, 2\] with B ≥ 1, got \[2, 3\]/ },
    { shape: [0, 2], message: /keys must have shape \[B, 2\] with B ≥ 1, got \[0, 2\]/ },
    { shape: [2], message: /keys must have rank 2.*got rank 1 with shape \[2\]/ },
  ])('rejects keys of shape $shape', ({ shape, message }) => {
    const queue = createQueue(4);
    const keys: tf.Tensor = tf.zeros(shape);

    expect(() => queue.enqueue(keys as tf.Tensor2D)).toThrow(message);
    expect(queue.size).toBe(0);
    keys.dispose();
  });
});
