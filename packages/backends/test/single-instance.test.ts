import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// The tests load tfjs the way the CLI bundle does: one ES build of tfjs-core
// with every gradient registered. A second, CommonJS copy would give tensors
// whose methods have no op handler and backends registered on another engine.
describe('test environment', () => {
  it('loads one tfjs-core instance', () => {
    const require = createRequire(import.meta.url);
    const commonJsCopies = Object.keys(require.cache).filter((path) => path.includes('tfjs-core'));
    expect(commonJsCopies).toEqual([]);
    const tensor = tf.tensor([1, 2]);
    expect(tensor).toBeInstanceOf(tf.Tensor);
    expect(tf.clone(tensor).shape).toEqual([2]);
    tensor.dispose();
  });

  it('has every gradient registered', () => {
    for (const kernel of ['RealDiv', 'Conv2D', 'FusedBatchNorm', 'BatchMatMul', 'Softmax']) {
      expect(tf.getGradient(kernel), kernel).toBeDefined();
    }
  });

  it('has the cpu and wasm backends', () => {
    expect(tf.findBackendFactory('cpu')).toBeDefined();
    expect(tf.findBackendFactory('wasm')).toBeDefined();
  });
});
