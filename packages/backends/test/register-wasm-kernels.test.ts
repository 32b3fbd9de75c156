import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { FUSED_BATCH_NORM_KERNEL_NAMES } from '../src/kernels/batch-norm/fused-batch-norm';
import {
  getWasmKernelState,
  registerWasmTrainingKernels,
  restoreWasmKernels,
} from '../src/register-wasm-kernels';
import { relativeError, seededValues, valuesOn } from './helpers';

/** Kernels that registerWasmTrainingKernels adds to wasm, in registration order. */
const ADDED_KERNELS = [
  'Conv2DBackpropFilter',
  'UnsortedSegmentSum',
  ...Object.values(FUSED_BATCH_NORM_KERNEL_NAMES),
];

// Captured before any test registers anything, so it is wasm's own kernel.
const originalInputKernel = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');

function filterGradientOnWasm(): tf.Tensor {
  const x = tf.ones([1, 4, 4, 2]);
  const dy = tf.ones([1, 4, 4, 3]);
  const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] };
  return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs) as tf.Tensor;
}

describe('registerWasmTrainingKernels', () => {
  afterEach(async () => {
    restoreWasmKernels();
    await tf.setBackend('cpu');
  });

  it('stock wasm lacks the filter gradient', async () => {
    await tf.setBackend('wasm');

    expect(() => tf.tidy(filterGradientOnWasm)).toThrow(/Conv2DBackpropFilter/);
  });

  it('adds and replaces kernels', () => {
    const state = registerWasmTrainingKernels();

    expect(state).toEqual({
      added: ADDED_KERNELS,
      replaced: ['Conv2DBackpropInput'],
    });
    expect(getWasmKernelState()).toEqual(state);
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')).not.toBe(originalInputKernel);
  });

  it('is idempotent', () => {
    registerWasmTrainingKernels();
    const configs = [tf.Conv2DBackpropFilter, tf.UnsortedSegmentSum, tf.Conv2DBackpropInput].map(
      (name) => tf.getKernel(name, 'wasm'),
    );

    const state = registerWasmTrainingKernels();

    expect(state.added).toEqual(ADDED_KERNELS);
    expect(state.replaced).toEqual(['Conv2DBackpropInput']);
    expect(
      [tf.Conv2DBackpropFilter, tf.UnsortedSegmentSum, tf.Conv2DBackpropInput].map((name) =>
        tf.getKernel(name, 'wasm'),
      ),
    ).toEqual(configs);
  });

  it('switches the input kernel back with the option', () => {
    registerWasmTrainingKernels();

    const state = registerWasmTrainingKernels({ replaceConv2DBackpropInput: false });

    expect(state.replaced).toEqual([]);
    expect(state.added).toEqual(ADDED_KERNELS);
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')).toBe(originalInputKernel);
  });

  it('restore returns wasm to its own kernels', async () => {
    registerWasmTrainingKernels();

    restoreWasmKernels();

    expect(getWasmKernelState()).toEqual({ added: [], replaced: [] });
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeUndefined();
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'wasm')).toBeUndefined();
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')).toBe(originalInputKernel);
    await tf.setBackend('wasm');
    expect(() => tf.tidy(filterGradientOnWasm)).toThrow(/Conv2DBackpropFilter/);
  });

  it('restored input kernel still computes', async () => {
    registerWasmTrainingKernels();
    restoreWasmKernels();
    const dyValues = seededValues(2 * 4 * 4 * 3, 41);
    const filterValues = seededValues(3 * 3 * 2 * 3, 42);
    const run = () =>
      tf.conv2dTranspose(
        tf.tensor4d(dyValues, [2, 4, 4, 3]),
        tf.tensor4d(filterValues, [3, 3, 2, 3]),
        [2, 7, 7, 2],
        2,
        'same',
      );

    const [expected] = await valuesOn('cpu', run);
    const [actual] = await valuesOn('wasm', run);

    expect(relativeError(actual!, expected!)).toBeLessThan(1e-5);
  });

  it('replaced kernel works after wasm re-initialises', async () => {
    const dyValues = seededValues(2 * 4 * 4 * 3, 43);
    const filterValues = seededValues(3 * 3 * 2 * 3, 44);
    const run = () =>
      tf.conv2dTranspose(
        tf.tensor4d(dyValues, [2, 4, 4, 3]),
        tf.tensor4d(filterValues, [3, 3, 2, 3]),
        [2, 8, 8, 2],
        2,
        'same',
      );
    const [expected] = await valuesOn('cpu', run);

    // wasm's own kernel binds to the wasm module in its setup function, and tfjs runs
    // the setup functions of the kernels registered when a backend initialises.
    await tf.setBackend('wasm');
    registerWasmTrainingKernels();
    const factory = tf.findBackendFactory('wasm');
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', factory, 2);
    await tf.setBackend('wasm');
    restoreWasmKernels();
    const output = tf.tidy(run);
    const actual = output.dataSync();
    output.dispose();

    expect(relativeError(actual, expected!)).toBeLessThan(1e-5);
  });

  it('leaves unrelated wasm kernels alone', () => {
    const before = tf.getKernelsForBackend('wasm').length;

    registerWasmTrainingKernels();
    const during = tf.getKernelsForBackend('wasm').length;
    restoreWasmKernels();

    expect(during).toBe(before + ADDED_KERNELS.length);
    expect(tf.getKernelsForBackend('wasm').length).toBe(before);
  });
});
