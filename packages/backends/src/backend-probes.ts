import * as tf from '@tensorflow/tfjs-core';

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
}

/** Settings that the probes use. */
export interface ProbeOptions {
  /** Folder or URL prefix of the wasm binaries, ending in '/', for `setWasmPaths`. */
  wasmPaths?: string;
}

/**
 * Imports the package of one backend and checks that it registered its factory on the
 * engine of this tfjs-core instance.
 *
 * Each import is a plain string literal so that bundlers (esbuild, Vite, webpack) can
 * include the backends. tfjs-node is the exception: it is Node-only and native, so its
 * specifier is hidden from bundlers and it loads only when installed next to the app.
 */
export async function probeBackend(name: BackendName, options: ProbeOptions): Promise<ProbeResult> {
  switch (name) {
    case 'tensorflow':
      return probeTensorflow();
    case 'webgpu':
      return probeWebgpu();
    case 'wasm':
      return probeWasm(options);
    case 'cpu':
      return probeCpu();
  }
}

async function probeTensorflow(): Promise<ProbeResult> {
  const packages = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];
  const failures: string[] = [];
  for (const specifier of packages) {
    const loaded = await importOptional(
      specifier,
      () => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier),
    );
    if (loaded.status === 'missing') {
      continue;
    }
    if (loaded.status === 'failed') {
      failures.push(`${specifier} failed to load: ${loaded.message}`);
      continue;
    }
    const unregistered = checkRegistered('tensorflow', specifier);
    if (unregistered !== undefined) {
      return unregistered;
    }
    return { available: true, reason: specifier, describe: async () => specifier };
  }

  if (failures.length > 0) {
    return { available: false, reason: failures.join('; ') };
  }
  return { available: false, reason: `not installed (${packages.join(', ')})` };
}

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string };
}

interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

async function probeWebgpu(): Promise<ProbeResult> {
  const specifier = '@tensorflow/tfjs-backend-webgpu';
  const loaded = await importOptional(specifier, () => import('@tensorflow/tfjs-backend-webgpu'));
  if (loaded.status !== 'loaded') {
    return unavailableImport(specifier, loaded);
  }
  const unregistered = checkRegistered('webgpu', specifier);
  if (unregistered !== undefined) {
    return unregistered;
  }

  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (gpu === undefined) {
    return { available: false, reason: 'no WebGPU in this runtime (navigator.gpu is undefined)' };
  }
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return {
      available: false,
      reason: `navigator.gpu.requestAdapter() failed: ${messageOf(error)}`,
    };
  }
  if (adapter === null) {
    return {
      available: false,
      reason: 'no WebGPU adapter (navigator.gpu.requestAdapter() returned null)',
    };
  }

  const adapterName = [adapter.info?.vendor, adapter.info?.architecture].filter(Boolean).join(' ');
  return {
    available: true,
    reason: 'WebGPU adapter found',
    describe: async () => `adapter ${adapterName || 'of unknown vendor'}`,
  };
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

type ImportOutcome =
  { status: 'loaded' } | { status: 'missing' } | { status: 'failed'; message: string };

async function importOptional(
  specifier: string,
  load: () => Promise<unknown>,
): Promise<ImportOutcome> {
  try {
    await load();
    return { status: 'loaded' };
  } catch (error) {
    return isModuleNotFound(error, specifier)
      ? { status: 'missing' }
      : { status: 'failed', message: messageOf(error) };
  }
}

/**
 * Tells "the package itself is not installed" apart from other load failures, such as a
 * missing native binding inside an installed package, which the report shows verbatim.
 * Node reports ERR_MODULE_NOT_FOUND (ESM) or MODULE_NOT_FOUND (CommonJS); Vite reports
 * 'Could not resolve "<name>"' or "Failed to load url <name>".
 */
export function isModuleNotFound(error: unknown, specifier: string): boolean {
  const message = messageOf(error);
  const code = (error as { code?: unknown } | null)?.code;
  const notFound =
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    /Cannot find (module|package)|Could not resolve|Failed to (load|resolve)/i.test(message);
  const namesPackage = [`'${specifier}'`, `"${specifier}"`, `url ${specifier}`].some((quoted) =>
    message.includes(quoted),
  );
  return notFound && namesPackage;
}

function unavailableImport(specifier: string, outcome: ImportOutcome): ProbeResult {
  const reason =
    outcome.status === 'failed'
      ? `${specifier} failed to load: ${outcome.message}`
      : `not installed (${specifier})`;
  return { available: false, reason };
}

/**
 * Returns a failed probe when the backend registered on another tfjs-core instance, as
 * happens in Node when a backend's CommonJS `main` loads a second copy of tfjs-core.
 */
export function checkRegistered(name: BackendName, specifier: string): ProbeResult | undefined {
  if (tf.findBackendFactory(name) != null) {
    return undefined;
  }
  return {
    available: false,
    reason:
      `${specifier} loaded but registered no '${name}' backend on this tfjs-core ` +
      'instance; it probably loaded a second copy of @tensorflow/tfjs-core',
  };
}

/** Returns the message of an Error, or of a rejected `{ message }` object, or its text. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
