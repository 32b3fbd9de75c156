import type { BackendCandidate } from '@simclr-ts/backends';
import { describe, expect, it } from 'vitest';
import {
  failureReason,
  pageCandidates,
  requestFailureMessage,
  softwareAdapterName,
  softwareAdapterReason,
  type AdapterLike,
} from '../src/backend-wording';

/** The error that @simclr-ts/backends 0.1 throws for an unavailable preferred backend. */
const PREFERRED_ERROR = new Error(
  "Preferred backend 'webgpu' is not available: no WebGPU in this runtime " +
    '(navigator.gpu is undefined). Valid names: tensorflow, webgpu, wasm, cpu; ' +
    'omit preferred to use the first available one.',
);

describe('softwareAdapterName', () => {
  it.each<[string, AdapterLike, string | undefined]>([
    ['SwiftShader', { info: { architecture: 'swiftshader' } }, 'swiftshader'],
    [
      'fallback in info',
      { info: { architecture: 'lavapipe', isFallbackAdapter: true } },
      'lavapipe',
    ],
    ['older fallback flag', { isFallbackAdapter: true, info: {} }, 'fallback adapter'],
    ['hardware adapter', { info: { architecture: 'ampere', isFallbackAdapter: false } }, undefined],
    ['adapter without info', {}, undefined],
  ])('%s', (_case, adapter, name) => {
    expect(softwareAdapterName(adapter)).toBe(name);
  });
});

describe('softwareAdapterReason', () => {
  it('names the adapter and the override', () => {
    expect(softwareAdapterReason('swiftshader')).toBe(
      'WebGPU adapter is a software renderer (swiftshader), slower than wasm; ' +
        'use ?backend=webgpu to use it anyway',
    );
  });
});

describe('pageCandidates', () => {
  const candidates: BackendCandidate[] = [
    {
      name: 'tensorflow',
      available: false,
      reason: 'not installed (@tensorflow/tfjs-node-gpu, @tensorflow/tfjs-node)',
    },
    { name: 'webgpu', available: false, reason: 'not probed: preferred backend is wasm' },
    { name: 'wasm', available: true, reason: 'chosen (SIMD, 1 thread)' },
    { name: 'cpu', available: true, reason: 'available, not chosen (wasm ranks higher)' },
  ];

  it('says tensorflow is Node only and rewords not probed', () => {
    expect(pageCandidates(candidates, 'not probed, because backend=wasm was requested')).toEqual([
      { name: 'tensorflow', available: false, reason: 'Node only (tfjs-node)' },
      {
        name: 'webgpu',
        available: false,
        reason: 'not probed, because backend=wasm was requested',
      },
      candidates[2],
      candidates[3],
    ]);
  });
});

describe('failureReason', () => {
  it('drops the hint on setupBackend options', () => {
    expect(failureReason(PREFERRED_ERROR)).toBe(
      'no WebGPU in this runtime (navigator.gpu is undefined)',
    );
  });

  it('keeps other messages', () => {
    expect(failureReason('wasm failed to initialise')).toBe('wasm failed to initialise');
  });
});

describe('requestFailureMessage', () => {
  it('uses the reason of the fallback report', () => {
    const message = requestFailureMessage('webgpu', PREFERRED_ERROR, {
      backend: 'wasm',
      candidates: [
        {
          name: 'webgpu',
          available: false,
          reason: 'no WebGPU adapter: requestAdapter() returned null',
        },
      ],
    });
    expect(message).toBe(
      'backend=webgpu is not available: no WebGPU adapter: requestAdapter() returned null. ' +
        'Using wasm instead (backend=auto; choices: auto, webgpu, wasm, cpu).',
    );
    expect(message).not.toContain('Valid names');
  });

  it('uses the error when the fallback did not probe it', () => {
    const message = requestFailureMessage('webgpu', PREFERRED_ERROR, {
      backend: 'wasm',
      candidates: [
        { name: 'webgpu', available: false, reason: 'not probed: preferred backend is wasm' },
      ],
    });
    expect(message).toBe(
      'backend=webgpu is not available: no WebGPU in this runtime (navigator.gpu is undefined). ' +
        'Using wasm instead (backend=auto; choices: auto, webgpu, wasm, cpu).',
    );
  });
});
