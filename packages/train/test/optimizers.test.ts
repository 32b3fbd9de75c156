import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { LarsOptimizer, createOptimizer, scaleLearningRate, setLearningRate } from '../src/index';

/** LARS by hand in float64, from the update rule in the class comment. */
function larsReference(
  weights: number[],
  gradients: number[][],
  {
    lr,
    momentum,
    eta,
    decay,
    excluded,
  }: { lr: number; momentum: number; eta: number; decay: number; excluded: boolean },
): number[] {
  const w = [...weights];
  const v = w.map(() => 0);
  for (const gradient of gradients) {
    const g = gradient.map((value, i) => value + (excluded ? 0 : decay * w[i]!));
    const norm = (values: number[]) =>
      Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));
    const trust = excluded || norm(w) === 0 || norm(g) === 0 ? 1 : (eta * norm(w)) / norm(g);
    for (let i = 0; i < w.length; i++) {
      v[i] = momentum * v[i]! + lr * trust * g[i]!;
      w[i] = w[i]! - v[i]!;
    }
  }
  return w;
}

function runLars(
  weights: number[],
  shape: number[],
  gradients: number[][],
  options: { lr: number; eta: number; decay: number },
): Float32Array {
  const variable = tf.variable(tf.tensor(weights, shape));
  const optimizer = new LarsOptimizer(options.lr, {
    trustCoefficient: options.eta,
    weightDecay: options.decay,
  });
  for (const gradient of gradients) {
    const tensor = tf.tensor(gradient, shape);
    optimizer.applyGradients({ [variable.name]: tensor });
    tensor.dispose();
  }
  const result = variable.dataSync() as Float32Array;
  optimizer.dispose();
  variable.dispose();
  return result;
}

const weights = [0.5, -1.5, 2, 0.25];
const gradients = [
  [0.1, 0.2, -0.3, 0.05],
  [-0.2, 0.1, 0.4, 0.3],
];
const options = { lr: 0.3, eta: 0.001, decay: 1e-4 };

describe('LarsOptimizer', () => {
  it.each(['cpu', 'wasm'])('adapts a weight matrix on %s', async (backend) => {
    await tf.setBackend(backend);
    const actual = runLars(weights, [2, 2], gradients, options);
    const expected = larsReference(weights, gradients, {
      ...options,
      momentum: 0.9,
      excluded: false,
    });
    actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 6));
    await tf.setBackend('cpu');
  });

  it('runs plain momentum SGD on rank-1 variables', () => {
    const actual = runLars(weights, [4], gradients, options);
    const expected = larsReference(weights, gradients, {
      ...options,
      momentum: 0.9,
      excluded: true,
    });
    actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 6));
  });

  it('uses a trust ratio of 1 for zero weights', () => {
    const zeros = [0, 0, 0, 0];
    const actual = runLars(zeros, [2, 2], gradients.slice(0, 1), options);
    const expected = larsReference(zeros, gradients.slice(0, 1), {
      ...options,
      momentum: 0.9,
      excluded: false,
    });
    actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 7));
    expect(actual[0]).toBeCloseTo(-0.3 * 0.1, 7);
  });

  it('resumes from its weights with the same updates', async () => {
    const first = tf.variable(tf.tensor2d(weights, [2, 2]));
    const second = tf.variable(tf.tensor2d(weights, [2, 2]));
    const original = new LarsOptimizer(0.3);
    const step = (optimizer: LarsOptimizer, variable: tf.Variable, gradient: number[]) => {
      const tensor = tf.tensor2d(gradient, [2, 2]);
      optimizer.applyGradients({ [variable.name]: tensor });
      tensor.dispose();
    };
    step(original, first, gradients[0]!);
    second.assign(first);
    const restored = new LarsOptimizer(0.3);
    await restored.setWeights(await original.getWeights());
    step(original, first, gradients[1]!);
    step(restored, second, gradients[1]!);
    expect(Array.from(second.dataSync())).toEqual(Array.from(first.dataSync()));
    expect(restored.iterations).toBe(2);
    tf.dispose([first, second]);
    original.dispose();
    restored.dispose();
  });

  it('keeps the tensor count flat', () => {
    const variable = tf.variable(tf.tensor2d(weights, [2, 2]));
    const optimizer = new LarsOptimizer(0.1, { weightDecay: 1e-4 });
    const gradient = tf.tensor2d(gradients[0]!, [2, 2]);
    optimizer.applyGradients({ [variable.name]: gradient });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      optimizer.applyGradients({ [variable.name]: gradient });
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([variable, gradient]);
    optimizer.dispose();
  });

  it.each([
    [{ momentum: 1 }, /momentum 1/],
    [{ trustCoefficient: 0 }, /trust coefficient 0/],
    [{ weightDecay: -1 }, /weight decay -1/],
  ])('rejects %o', (invalid, message) => {
    expect(() => new LarsOptimizer(0.1, invalid)).toThrow(message);
  });

  it('follows setLearningRate', () => {
    const optimizer = createOptimizer('lars', 0.1) as LarsOptimizer;
    setLearningRate(optimizer, 0.7);
    expect(optimizer.learningRate).toBe(0.7);
    optimizer.dispose();
  });
});

describe('scaleLearningRate', () => {
  it.each([
    ['none', 0.3, 512, 0.3],
    ['linear', 0.3, 512, 0.6],
    ['linear', 0.3, 256, 0.3],
    ['sqrt', 0.075, 4096, 4.8],
  ] as const)('%s scaling of %d at batch %d', (rule, base, batch, expected) => {
    expect(scaleLearningRate(base, batch, rule)).toBeCloseTo(expected, 10);
  });

  it('rejects a fractional batch', () => {
    expect(() => scaleLearningRate(0.3, 2.5, 'linear')).toThrow(/Invalid batch size 2.5/);
  });
});
