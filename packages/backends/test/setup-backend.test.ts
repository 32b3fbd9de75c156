import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { FUSED_BATCH_NORM_KERNEL_NAMES } from '../src/kernels/batch-norm/fused-batch-norm';
import { restoreWasmKernels } from '../src/register-wasm-kernels';
import { setupBackend } from '../src/setup-backend';

/** Kernels that registerWasmTrainingKernels adds to wasm, in registration order. */
const ADDED_KERNELS = [
  'Conv2DBackpropFilter',
  'UnsortedSegmentSum',
  ...Object.values(FUSED_BATCH_NORM_KERNEL_NAMES),
];

describe('setupBackend', () => {
  afterEach(async () => {
    restoreWasmKernels();
    await tf.setBackend('cpu');
  });

  it('picks wasm here and says why', async () => {
    const lines: string[] = [];

    const report = await setupBackend({ log: (line) => lines.push(line) });

    expect(report.backend).toBe('wasm');
    expect(report.device).toBe('SIMD, 1 thread');
    expect(tf.getBackend()).toBe('wasm');
    expect(report.candidates).toEqual([
      {
        name: 'tensorflow',
        available: false,
        reason: 'not installed (@tensorflow/tfjs-node-gpu, @tensorflow/tfjs-node)',
      },
      {
        name: 'webgpu',
        available: false,
        reason: 'no WebGPU in this runtime (navigator.gpu is undefined)',
      },
      { name: 'wasm', available: true, reason: 'chosen (SIMD, 1 thread)' },
      { name: 'cpu', available: true, reason: 'available, not chosen (wasm ranks higher)' },
    ]);
    expect(lines).toEqual([
      'tensorflow: not installed (@tensorflow/tfjs-node-gpu, @tensorflow/tfjs-node)',
      'webgpu: no WebGPU in this runtime (navigator.gpu is undefined)',
      'wasm: chosen (SIMD, 1 thread)',
      'cpu: available, not chosen (wasm ranks higher)',
      `wasm kernels from @simclr-ts/backends: added ${ADDED_KERNELS.join(', ')}; ` +
        'replaced Conv2DBackpropInput',
    ]);
  });

  it('registers the training kernels on wasm', async () => {
    const report = await setupBackend();

    expect(report.wasmKernels).toEqual({
      added: ADDED_KERNELS,
      replaced: ['Conv2DBackpropInput'],
    });
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();
  });

  it('skips the kernels when asked', async () => {
    const report = await setupBackend({ registerKernels: false });

    expect(report.backend).toBe('wasm');
    expect(report.wasmKernels).toBeUndefined();
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeUndefined();
  });

  it('uses preferred cpu', async () => {
    await tf.setBackend('wasm');

    const report = await setupBackend({ preferred: 'cpu' });

    expect(report.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(report.candidates.find((c) => c.name === 'cpu')).toEqual({
      name: 'cpu',
      available: true,
      reason: 'chosen (plain JavaScript)',
    });
    expect(report.candidates.find((c) => c.name === 'wasm')?.reason).toBe(
      'not probed: preferred backend is cpu',
    );
  });

  it('rejects an unknown preferred name', async () => {
    await expect(setupBackend({ preferred: 'gpu' })).rejects.toThrow(
      "Unknown backend 'gpu' in preferred. Valid names: tensorflow, webgpu, wasm, cpu.",
    );
  });

  it('rejects an unavailable preferred backend', async () => {
    await expect(setupBackend({ preferred: 'webgpu' })).rejects.toThrow(
      "Preferred backend 'webgpu' is not available: no WebGPU in this runtime (navigator.gpu is undefined). " +
        'Valid names: tensorflow, webgpu, wasm, cpu',
    );
    expect(tf.getBackend()).toBe('cpu');
  });

  it("names the caller's option in errors", async () => {
    await expect(setupBackend({ preferred: 'gpu', preferredOption: '--backend' })).rejects.toThrow(
      "Unknown backend 'gpu' in --backend.",
    );
    await expect(
      setupBackend({ preferred: 'webgpu', preferredOption: '--backend' }),
    ).rejects.toThrow(/; omit --backend to use the first available one\.$/);
  });

  it('requires registered gradients', async () => {
    const realDiv = tf.getGradient(tf.RealDiv);
    tf.unregisterGradient(tf.RealDiv);
    try {
      await expect(setupBackend()).rejects.toThrow(
        /no gradient for RealDiv\. Import '@tensorflow\/tfjs-core\/dist\/register_all_gradients'/,
      );
    } finally {
      tf.registerGradient(realDiv);
    }
    expect(tf.getBackend()).toBe('cpu');
  });
});
