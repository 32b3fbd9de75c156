import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BatchNorm } from '../src/index';

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

  it('rejects a momentum outside (0, 1]', () => {
    expect(() => new BatchNorm({ channels: 1, momentum: 0 })).toThrow(/momentum 0/);
  });
});
