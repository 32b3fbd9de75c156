import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { knnClassify, linearProbe, type FeatureMatrix } from '../src/index';

/** Unit vectors near one of `classes` orthogonal directions, with small noise. */
function clusteredFeatures(count: number, classes: number, dim: number, seed: number) {
  let state = seed;
  const random = () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647 - 0.5;
  };
  const values = new Float32Array(count * dim);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % classes;
    labels[n] = label;
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const value = (d === label ? 1 : 0) + 0.3 * random();
      values[n * dim + d] = value;
      norm += value * value;
    }
    for (let d = 0; d < dim; d++) {
      values[n * dim + d]! /= Math.sqrt(norm);
    }
  }
  return { features: { values, count, dim } satisfies FeatureMatrix, labels };
}

describe('linearProbe', () => {
  it('scores separable features perfectly', async () => {
    const train = clusteredFeatures(300, 3, 6, 11);
    const test = clusteredFeatures(90, 3, 6, 12);
    const before = tf.memory().numTensors;
    const result = await linearProbe(train.features, train.labels, test.features, test.labels, {
      iterations: 200,
    });
    expect(result.accuracy).toBe(1);
    expect(result.trainLoss).toBeLessThan(0.2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains on mini-batches without leaking', async () => {
    const train = clusteredFeatures(300, 3, 6, 11);
    const test = clusteredFeatures(90, 3, 6, 12);
    const before = tf.memory().numTensors;
    const reports: number[] = [];
    const result = await linearProbe(train.features, train.labels, test.features, test.labels, {
      iterations: 20,
      batchSize: 64,
      onProgress: (done) => reports.push(done),
    });
    expect(reports).toEqual([20]);
    expect(result.accuracy).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a fractional batch size', async () => {
    const train = clusteredFeatures(30, 3, 6, 11);
    await expect(
      linearProbe(train.features, train.labels, train.features, train.labels, { batchSize: 2.5 }),
    ).rejects.toThrow(/Invalid probe batch size 2.5/);
  });

  it('scores labels that the features do not carry near chance', async () => {
    const train = clusteredFeatures(300, 3, 6, 11);
    const test = clusteredFeatures(300, 3, 6, 12);
    // Labels shuffled against the clusters: nothing to learn.
    const shuffled = test.labels.map((_, i) => (i * 7 + Math.floor(i / 3)) % 3);
    const result = await linearProbe(
      train.features,
      train.labels,
      test.features,
      Uint8Array.from(shuffled),
    );
    expect(result.accuracy).toBeLessThan(0.5);
  });

  it('rejects labels of the wrong length', async () => {
    const train = clusteredFeatures(30, 3, 6, 11);
    await expect(
      linearProbe(train.features, train.labels.subarray(0, 29), train.features, train.labels),
    ).rejects.toThrow(/29 labels for 30 feature rows/);
  });
});

describe('knnClassify', () => {
  it('scores separable features perfectly', async () => {
    const train = clusteredFeatures(300, 3, 6, 21);
    const test = clusteredFeatures(60, 3, 6, 22);
    const before = tf.memory().numTensors;
    const result = await knnClassify(train.features, train.labels, test.features, test.labels, {
      k: 20,
      chunkSize: 16,
    });
    expect(result.accuracy).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('weights votes by similarity', async () => {
    // One query at angle 0; one class-0 neighbour at cosine 0.99 and two
    // class-1 neighbours at cosine 0.5. Votes: exp(9.9) ≈ 19,930 against
    // 2·exp(5) ≈ 297, so class 0 wins although class 1 has more neighbours.
    const angle = (cosine: number) => [cosine, Math.sqrt(1 - cosine * cosine)];
    const bank = {
      values: Float32Array.from([...angle(0.99), ...angle(0.5), ...angle(0.5)]),
      count: 3,
      dim: 2,
    };
    const query = { values: Float32Array.from([1, 0]), count: 1, dim: 2 };
    const result = await knnClassify(
      bank,
      Uint8Array.from([0, 1, 1]),
      query,
      Uint8Array.from([0]),
      {
        k: 3,
        numClasses: 2,
      },
    );
    expect(Array.from(result.predictions)).toEqual([0]);
    // With a high temperature the weights are nearly equal and the majority wins.
    const flat = await knnClassify(bank, Uint8Array.from([0, 1, 1]), query, Uint8Array.from([0]), {
      k: 3,
      numClasses: 2,
      temperature: 100,
    });
    expect(Array.from(flat.predictions)).toEqual([1]);
  });
});
