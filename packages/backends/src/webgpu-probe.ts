import * as tf from '@tensorflow/tfjs-core';
import type { ProbeResult } from './backend-probes';
import { checkRegistered, importOptional, messageOf, unavailableImport } from './probe-utils';

/** The part of WebGPU's `GPU` (`navigator.gpu`) that the probe calls. */
export interface GpuLike {
  requestAdapter(options?: {
    powerPreference?: 'low-power' | 'high-performance';
  }): Promise<GpuAdapterLike | null>;
}

/** The part of WebGPU's `GPUAdapter` that the probe reads. */
export interface GpuAdapterLike {
  info?: {
    vendor?: string;
    architecture?: string;
    description?: string;
    /** True for a software adapter such as SwiftShader. */
    isFallbackAdapter?: boolean;
  };
}

/**
 * A WebGPU implementation for a runtime without `navigator.gpu`, such as Dawn (the
 * `webgpu` package) in Node. The probe installs its GPU object as `navigator.gpu`.
 */
export interface WebgpuProvider {
  /** Name of the implementation in reasons, e.g. 'Dawn (webgpu 0.6.2)'. */
  name: string;
  /**
   * Loads the implementation, installs any globals it needs (`GPUBufferUsage`, ...) and
   * returns its GPU object. Rejects with the reason it is unavailable, e.g. not installed.
   */
  createGpu: () => Promise<GpuLike>;
  /** Advice added to the reason when the GPU object returns no adapter. */
  noAdapterHint?: string;
}

/**
 * Probes WebGPU: `navigator.gpu` (or the GPU object of `provider`), then the tfjs
 * package, then an adapter. The package registers its backend only when `navigator.gpu`
 * exists at its first import, so the GPU object is installed before the import.
 *
 * A provided implementation is reported but not chosen automatically, because a
 * software adapter (Dawn on SwiftShader) trains far slower than wasm.
 */
export async function probeWebgpu(provider: WebgpuProvider | undefined): Promise<ProbeResult> {
  const found = await findGpu(provider);
  if ('reason' in found) {
    return { available: false, reason: found.reason };
  }

  const specifier = '@tensorflow/tfjs-backend-webgpu';
  const loaded = await importOptional(specifier, () => import('@tensorflow/tfjs-backend-webgpu'));
  if (loaded.status !== 'loaded') {
    return unavailableImport(specifier, loaded);
  }
  const unregistered = checkRegistered('webgpu', specifier);
  if (unregistered !== undefined) {
    return unregistered;
  }

  // tfjs's backend factory requests its adapter with this preference, so the probe does too.
  const powerPreference = tf.env().getBool('WEBGPU_USE_LOW_POWER_GPU')
    ? 'low-power'
    : 'high-performance';
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await found.gpu.requestAdapter({ powerPreference });
  } catch (error) {
    return {
      available: false,
      reason: `navigator.gpu.requestAdapter() failed: ${messageOf(error)}`,
    };
  }
  // The implementation that supplied navigator.gpu, when it was not the runtime's own.
  const supplier = found.provided ? provider : undefined;
  if (adapter === null) {
    const from = supplier === undefined ? '' : ` from ${supplier.name}`;
    const hint = supplier?.noAdapterHint ? `; ${supplier.noAdapterHint}` : '';
    return {
      available: false,
      reason: `no WebGPU adapter${from}: requestAdapter() returned null${hint}`,
    };
  }

  const through = supplier === undefined ? '' : `, through ${supplier.name}`;
  const description = `adapter ${describeAdapter(adapter)}${through}`;
  return {
    available: true,
    reason: description,
    describe: async () => description,
    manualOnly:
      supplier === undefined
        ? undefined
        : `WebGPU through ${supplier.name} is used only when requested by name`,
  };
}

/** Returns `navigator.gpu`, else the provider's GPU object installed there, else the reason. */
async function findGpu(
  provider: WebgpuProvider | undefined,
): Promise<{ gpu: GpuLike; provided: boolean } | { reason: string }> {
  const scope = globalThis as { navigator?: { gpu?: GpuLike } };
  const native = scope.navigator?.gpu;
  if (native !== undefined) {
    return { gpu: native, provided: false };
  }
  if (provider === undefined) {
    return { reason: 'no WebGPU in this runtime (navigator.gpu is undefined)' };
  }

  let gpu: GpuLike;
  try {
    gpu = await provider.createGpu();
  } catch (error) {
    return { reason: messageOf(error) };
  }
  // Node 20 has no navigator. Node 21 and later have one, without gpu.
  if (scope.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', {
      value: {},
      configurable: true,
      writable: true,
    });
  }
  Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true });
  return { gpu, provided: true };
}

/**
 * Describes an adapter from its `info`, e.g. 'google swiftshader (SwiftShader driver
 * 5.0.0), a software adapter'.
 */
export function describeAdapter(adapter: GpuAdapterLike): string {
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture].filter(Boolean).join(' ') || 'of unknown vendor';
  const description = info.description ? ` (${info.description})` : '';
  const software = info.isFallbackAdapter === true ? ', a software adapter' : '';
  return `${name}${description}${software}`;
}
