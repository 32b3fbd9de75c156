import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, restoreWasmKernels } from '../src/register-wasm-kernels';
import { backendDataIds, relativeError, seededValues } from './helpers';

const BATCH = 4;
const CLASSES = 10;
const LABELS = [3, 7, 3, 0];
const SHAPES: Record<string, number[]> = {
  conv1: [3, 3, 3, 8],
  bias1: [8],
  conv2: [3, 3, 8, 16],
  bias2: [16],
  dense: [5 * 5 * 16, CLASSES],
  denseBias: [CLASSES],
  classWeights: [CLASSES],
};

interface StepResult {
  loss: number;
  weights: Record<string, Float32Array>;
}

/**
 * Runs one SGD step of a small conv net on 9x9 RGB inputs and returns the loss and the
 * updated weights. The net: 3x3 conv (stride 1, same) to 8 channels, ReLU, 3x3 conv
 * (stride 2, same) to 16 channels at 5x5, ReLU, dense to 10 classes. The loss is
 * softmax cross-entropy, weighted by a per-class weight that `gather` picks.
 */
function trainingStep(backend: string): Promise<StepResult> {
  return tf.setBackend(backend).then(() => {
    const variables = Object.fromEntries(
      Object.entries(SHAPES).map(([name, shape], i) => {
        const initial = tf.tensor(seededValues(tf.util.sizeFromShape(shape), 100 + i), shape);
        const variable = tf.variable(initial, true, `${name}-${backend}`);
        initial.dispose();
        return [name, variable];
      }),
    ) as Record<string, tf.Variable>;
    const v = (name: string) => variables[name]!;
    const x = tf.tensor4d(seededValues(BATCH * 9 * 9 * 3, 7), [BATCH, 9, 9, 3]);
    const labels = tf.tensor1d(LABELS, 'int32');
    const optimizer = tf.train.sgd(0.1);

    const loss = optimizer.minimize(() => {
      const h1 = tf.relu(tf.add(tf.conv2d(x, v('conv1') as tf.Tensor4D, 1, 'same'), v('bias1')));
      const h2 = tf.relu(
        tf.add(tf.conv2d(h1 as tf.Tensor4D, v('conv2') as tf.Tensor4D, 2, 'same'), v('bias2')),
      );
      const logits = tf.add(tf.matMul(tf.reshape(h2, [BATCH, -1]), v('dense')), v('denseBias'));
      const crossEntropy = tf.neg(
        tf.sum(tf.mul(tf.oneHot(labels, CLASSES), tf.logSoftmax(logits)), 1),
      );
      return tf.mean(tf.mul(tf.gather(v('classWeights'), labels), crossEntropy)) as tf.Scalar;
    }, true)!;

    const result: StepResult = {
      loss: loss.dataSync()[0]!,
      weights: Object.fromEntries(
        Object.entries(variables).map(([name, variable]) => [
          name,
          Float32Array.from(variable.dataSync()),
        ]),
      ),
    };
    tf.dispose([loss, x, labels, ...Object.values(variables)]);
    optimizer.dispose();
    return result;
  });
}

describe('training step on wasm', () => {
  beforeAll(() => {
    registerWasmTrainingKernels();
  });
  afterAll(async () => {
    restoreWasmKernels();
    await tf.setBackend('cpu');
  });

  it('matches the same step on cpu', async () => {
    const expected = await trainingStep('cpu');
    const actual = await trainingStep('wasm');

    expect(Math.abs(actual.loss - expected.loss)).toBeLessThan(
      1e-4 * Math.max(1, Math.abs(expected.loss)),
    );
    for (const name of Object.keys(SHAPES)) {
      expect(relativeError(actual.weights[name]!, expected.weights[name]!), name).toBeLessThan(
        1e-4,
      );
    }
  });

  it('changes every weight', async () => {
    const before = await trainingStep('wasm');
    const initial = Object.fromEntries(
      Object.entries(SHAPES).map(([name, shape], i) => [
        name,
        seededValues(tf.util.sizeFromShape(shape), 100 + i),
      ]),
    );

    for (const name of Object.keys(SHAPES)) {
      expect(relativeError(before.weights[name]!, initial[name]!), name).toBeGreaterThan(0);
    }
  });

  it('leaks nothing over repeated steps', async () => {
    await trainingStep('wasm');
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = backendDataIds();

    for (let i = 0; i < 3; i++) {
      await trainingStep('wasm');
    }

    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(backendDataIds()).toBe(buffersBefore);
  });
});
