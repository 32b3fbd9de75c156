// WebGPU details that the parity run reports. TypeScript 5.9's DOM library has no WebGPU
// types, so the few members read here are declared locally.
import * as tf from '@tensorflow/tfjs-core';

import type { AdapterInfo, ParityRun } from '../types';

interface GpuLike {
  requestAdapter(): Promise<{ info: AdapterInfo } | null>;
}

interface GpuErrorEvent extends Event {
  error: { message: string };
}

/** Returns the adapter that `navigator.gpu.requestAdapter()` gives this page, if any. */
export async function readAdapter(): Promise<AdapterInfo | undefined> {
  const gpu = (navigator as { gpu?: GpuLike }).gpu;
  const adapter = await gpu?.requestAdapter();
  if (adapter === null || adapter === undefined) {
    return undefined;
  }
  const { vendor, architecture, device, description } = adapter.info;
  return { vendor, architecture, device, description };
}

/**
 * Reads the adapter that tfjs's WebGPU backend was created with. `adapterInfo` is a private
 * field of `WebGPUBackend` in tfjs-backend-webgpu 4.22, so this returns undefined if it moves.
 */
export function readBackendAdapter(): ParityRun['backendAdapter'] {
  const backend = tf.backend() as { adapterInfo?: { vendor?: unknown; architecture?: unknown } };
  const info = backend.adapterInfo;
  if (typeof info?.vendor !== 'string' || typeof info.architecture !== 'string') {
    return undefined;
  }
  return { vendor: info.vendor, architecture: info.architecture };
}

/**
 * Collects the validation errors of the WebGPU backend's device. tfjs 4.22 does not check
 * them: a shader that fails to compile or a pipeline over the device's limits leaves the
 * output buffer unwritten, and the op returns whatever that buffer held. Returns a function
 * that hands over and clears the errors collected so far.
 */
export function collectGpuErrors(): () => string[] {
  const device = (tf.backend() as { device?: EventTarget }).device;
  if (device === undefined) {
    throw new Error("tfjs's WebGPU backend has no `device`; this tfjs version is not supported.");
  }
  let errors: string[] = [];
  device.addEventListener('uncapturederror', (event) => {
    errors.push((event as GpuErrorEvent).error.message);
  });
  return () => {
    const collected = errors;
    errors = [];
    return collected;
  };
}
