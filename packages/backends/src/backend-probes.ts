import * as tf from '@tensorflow/tfjs-core';
import { checkRegistered, importOptional, messageOf, unavailableImport } from './probe-utils';
import { probeTensorflow } from './tensorflow-probe';
import { probeWebgpu, type WebgpuProvider } from './webgpu-probe';

/** Names of the backends that {@link probeBackend} supports, fastest first. */
export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;

/** A backend name from {@link BACKEND_NAMES}. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Outcome of probing one backend without initialising it. */
export interface ProbeResult {
  /** Whether the backend can be tried with `tf.setBackend`. */
  available: boolean;
  /** Reason the backend is unavailable, or what the probe found. */
  reason: string;
  /** Describes the backend once `tf.setBackend` has initialised it, e.g. 'SIMD, 1 thread'. */
  describe?: () => Promise<string>;
  /**
   * Reason a working backend is chosen only when requested by name; undefined when it
   * may be chosen automatically.
   */
  manualOnly?: string;
}

/** Settings that the probes use. */
export interface ProbeOptions {
  /** Folder or URL prefix of the wasm binaries, ending in '/', for `setWasmPaths`. */
  wasmPaths?: string;
  /** WebGPU implementation to install as `navigator.gpu` when the runtime has none. */
  webgpu?: WebgpuProvider;
}

/**
 * Imports the package of one backend and checks that it registered its factory on the
 * engine of this tfjs-core instance.
 *
 * Each import is a plain string literal so that bundlers (esbuild, Vite, webpack) can
 * include the backends. tfjs-node is the exception: it is Node-only and native, so its
 * specifier is hidden from bundlers and it loads only when installed next to the app.
 * WebGPU in Node needs `options.webgpu`, e.g. Dawn from the `webgpu` package.
 */
export async function probeBackend(name: BackendName, options: ProbeOptions): Promise<ProbeResult> {
  switch (name) {
    case 'tensorflow':
      return probeTensorflow();
    case 'webgpu':
      return probeWebgpu(options.webgpu);
    case 'wasm':
      return probeWasm(options);
    case 'cpu':
      return probeCpu();
  }
}

async function probeWasm(options: ProbeOptions): Promise<ProbeResult> {
  const specifier = '@tensorflow/tfjs-backend-wasm';
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm') | undefined;
  const loaded = await importOptional(specifier, async () => {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  });
  if (loaded.status !== 'loaded' || wasm === undefined) {
    return unavailableImport(specifier, loaded);
  }
  const unregistered = checkRegistered('wasm', specifier);
  if (unregistered !== undefined) {
    return unregistered;
  }

  const module = wasm;
  if (options.wasmPaths !== undefined && tf.engine().registry['wasm'] === undefined) {
    try {
      module.setWasmPaths(options.wasmPaths);
    } catch (error) {
      return { available: false, reason: `setWasmPaths failed: ${messageOf(error)}` };
    }
  }
  return {
    available: true,
    reason: 'package loaded',
    describe: async () => {
      const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
      const threads = module.getThreadsCount();
      return `${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}`;
    },
  };
}

async function probeCpu(): Promise<ProbeResult> {
  const specifier = '@tensorflow/tfjs-backend-cpu';
  const loaded = await importOptional(specifier, () => import('@tensorflow/tfjs-backend-cpu'));
  if (loaded.status !== 'loaded') {
    return unavailableImport(specifier, loaded);
  }
  const unregistered = checkRegistered('cpu', specifier);
  if (unregistered !== undefined) {
    return unregistered;
  }
  return { available: true, reason: 'package loaded', describe: async () => 'plain JavaScript' };
}
