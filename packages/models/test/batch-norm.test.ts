import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BatchNorm, type ReplicaGroup } from '../src/index';

// Reference values computed by hand from the definitions: a batch of one
// channel with values [1, 2, 3, 6] has mean 3, biased variance 3.5 and
// unbiased variance 14 / 3.
describe('BatchNorm', () => {
  it('training normalises with batch statistics', () => {
    const bn = new BatchNorm({ channels: 1 });
    const x = tf.tensor2d([[1], [2], [3], [6]]);
    const y = bn.apply(x, { training: true });
    const expected = [1, 2, 3, 6].map((v) => (v - 3) / Math.sqrt(3.5 + 1e-5));
    const actual = Array.from(y.dataSync());
    actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 5));
    tf.dispose([x, y]);
    bn.dispose();
  });

  it('training updates running statistics with momentum 0.1', () => {
    const bn = new BatchNorm({ channels: 1 });
    const x = tf.tensor2d([[1], [2], [3], [6]]);
    tf.dispose(bn.apply(x, { training: true }));
    expect(bn.runningMean.dataSync()[0]).toBeCloseTo(0.9 * 0 + 0.1 * 3, 6);
    expect(bn.runningVariance.dataSync()[0]).toBeCloseTo(0.9 * 1 + 0.1 * (14 / 3), 6);
    x.dispose();
    bn.dispose();
  });

  it('inference uses running statistics and changes nothing', () => {
    const bn = new BatchNorm({ channels: 1 });
    const x = tf.tensor2d([[1], [2], [3], [6]]);
    const y = bn.apply(x, { training: false });
    // Initial running mean 0 and variance 1: the output is x / sqrt(1 + eps).
    const actual = Array.from(y.dataSync());
    [1, 2, 3, 6].forEach((v, i) => expect(actual[i]).toBeCloseTo(v / Math.sqrt(1 + 1e-5), 5));
    expect(bn.runningMean.dataSync()[0]).toBe(0);
    expect(bn.runningVariance.dataSync()[0]).toBe(1);
    tf.dispose([x, y]);
    bn.dispose();
  });

  it('training and inference differ', () => {
    const bn = new BatchNorm({ channels: 2 });
    const x = tf.randomNormal([8, 4, 4, 2], 5, 3, 'float32', 1);
    const train = bn.apply(x, { training: true });
    const infer = bn.apply(x, { training: false });
    expect(tf.max(tf.abs(tf.sub(train, infer))).dataSync()[0]).toBeGreaterThan(0.1);
    tf.dispose([x, train, infer]);
    bn.dispose();
  });

  it('Keras defaults expressed in this convention', () => {
    // Keras and tfjs-layers: momentum 0.99 weighs the old value, epsilon 1e-3. Here that is
    // momentum 0.01. The running variance still takes the unbiased batch variance (14 / 3),
    // as PyTorch does, where Keras would take the biased one (3.5).
    const bn = new BatchNorm({ channels: 1, momentum: 0.01, epsilon: 1e-3 });
    const x = tf.tensor2d([[1], [2], [3], [6]]);
    const y = bn.apply(x, { training: true });
    expect(y.dataSync()[0]).toBeCloseTo((1 - 3) / Math.sqrt(3.5 + 1e-3), 5);
    expect(bn.runningMean.dataSync()[0]).toBeCloseTo(0.01 * 3, 6);
    expect(bn.runningVariance.dataSync()[0]).toBeCloseTo(0.99 + 0.01 * (14 / 3), 6);
    tf.dispose([x, y]);
    bn.dispose();
  });

  it('center false keeps β at zero and out of training', () => {
    const bn = new BatchNorm({ channels: 2, center: false });
    expect(bn.beta.trainable).toBe(false);
    expect(bn.gamma.trainable).toBe(true);
    expect(bn.namedVariables().map((entry) => entry.name)).toContain('bias');
    bn.dispose();
  });

  it('rejects a momentum outside (0, 1]', () => {
    expect(() => new BatchNorm({ channels: 1, momentum: 0 })).toThrow(/momentum 0/);
  });
});

describe('BatchNorm gradient', () => {
  it.each([
    ['rank 4', [3, 4, 5, 2]],
    ['rank 2', [6, 3]],
  ])('matches automatic differentiation (%s)', (_name, shape) => {
    const bn = new BatchNorm({ channels: shape[shape.length - 1]! });
    bn.gamma.assign(tf.tensor1d(Array.from({ length: bn.gamma.size }, (_, i) => 0.5 + i)));
    bn.beta.assign(tf.tensor1d(Array.from({ length: bn.beta.size }, (_, i) => i - 1)));
    const x = tf.randomNormal(shape, 1, 2, 'float32', 9);
    const weights = tf.randomNormal(shape, 0, 1, 'float32', 10);

    // Reference: the textbook formula, differentiated by tfjs.
    const reference = (input: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
      const axes = Array.from({ length: input.rank - 1 }, (_, axis) => axis);
      const { mean, variance } = tf.moments(input, axes);
      const normalized = tf.div(tf.sub(input, mean), tf.sqrt(tf.add(variance, 1e-5)));
      return tf.sum(tf.mul(tf.add(tf.mul(normalized, gamma), beta), weights));
    };
    const expected = tf.grads(reference)([x, bn.gamma, bn.beta]);
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(bn.apply(x, { training: true }), weights)),
      [bn.gamma, bn.beta],
    );
    const dx = tf.grad((input: tf.Tensor) =>
      tf.sum(tf.mul(bn.apply(input, { training: true }), weights)),
    )(x);

    const maxDifference = (a: tf.Tensor, b: tf.Tensor) =>
      tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
    expect(maxDifference(dx, expected[0]!)).toBeLessThan(1e-4);
    expect(maxDifference(grads[bn.gamma.name]!, expected[1]!)).toBeLessThan(1e-4);
    expect(maxDifference(grads[bn.beta.name]!, expected[2]!)).toBeLessThan(1e-4);
    bn.dispose();
  });
});

/**
 * A replica group of two whose other replica has exactly this replica's rows, so
 * synchronised BatchNorm over it must behave like plain BatchNorm on the batch stacked
 * twice.
 */
const mirroredPair: ReplicaGroup = {
  rank: 0,
  size: 2,
  allGather: (values) => [values.slice(), values.slice()],
  allReduceSum: (values) => values.map((value) => 2 * value),
};

describe('BatchNorm across replicas', () => {
  const rows = 5;
  const channels = 3;
  const x = () =>
    tf.tensor2d(
      Array.from({ length: rows * channels }, (_, i) => Math.sin(i) * (i % 4)),
      [rows, channels],
    );
  const weights = () =>
    tf.tensor2d(
      Array.from({ length: rows * channels }, (_, i) => Math.cos(3 * i)),
      [rows, channels],
    );

  function run(replicas: ReplicaGroup | undefined, copies: number) {
    const bn = new BatchNorm({ channels });
    bn.gamma.assign(tf.tensor1d([0.5, 1.5, -2]));
    const input = tf.concat(Array.from({ length: copies }, x));
    const upstream = tf.concat(Array.from({ length: copies }, weights));
    const lossOf = (value: tf.Tensor) =>
      tf.sum(tf.mul(bn.apply(value, { training: true, replicas }), upstream));
    const output = Array.from(bn.apply(input, { training: true, replicas }).dataSync()).slice(
      0,
      rows * channels,
    );
    const dx = Array.from(tf.grad(lossOf)(input).dataSync()).slice(0, rows * channels);
    const { grads } = tf.variableGrads(() => lossOf(input) as tf.Scalar, [bn.gamma, bn.beta]);
    const result = {
      output,
      dx,
      dGamma: Array.from(grads[bn.gamma.name]!.dataSync()),
      dBeta: Array.from(grads[bn.beta.name]!.dataSync()),
      runningVariance: Array.from(bn.runningVariance.dataSync()),
    };
    bn.dispose();
    return result;
  }

  it('matches plain BatchNorm on the stacked batch', () => {
    const synced = run(mirroredPair, 1);
    const stacked = run(undefined, 2);
    synced.output.forEach((value, i) => expect(value).toBeCloseTo(stacked.output[i]!, 5));
    synced.dx.forEach((value, i) => expect(value).toBeCloseTo(stacked.dx[i]!, 5));
    synced.runningVariance.forEach((value, i) =>
      expect(value).toBeCloseTo(stacked.runningVariance[i]!, 5),
    );
  });

  it('returns this replica’s share of dγ and dβ', () => {
    const synced = run(mirroredPair, 1);
    const stacked = run(undefined, 2);
    synced.dGamma.forEach((value, i) => expect(value).toBeCloseTo(stacked.dGamma[i]! / 2, 5));
    synced.dBeta.forEach((value, i) => expect(value).toBeCloseTo(stacked.dBeta[i]! / 2, 5));
  });
});
