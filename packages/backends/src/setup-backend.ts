import * as tf from '@tensorflow/tfjs-core';
import { assertGradientsRegistered } from './assert-gradients';
import { BACKEND_NAMES, probeBackend, type BackendName } from './backend-probes';
import { messageOf } from './probe-utils';
import { registerWasmTrainingKernels, type WasmKernelState } from './register-wasm-kernels';
import type { WebgpuProvider } from './webgpu-probe';

/** Options of {@link setupBackend}. */
export interface SetupBackendOptions {
  /**
   * Backend to use instead of the first available one: 'tensorflow', 'webgpu', 'wasm'
   * or 'cpu'. Only this backend is probed. Default: none, so every backend is probed in
   * that order and the first that initialises is chosen.
   */
  preferred?: string;
  /**
   * Name of the caller's setting that supplies `preferred`, used in error messages, e.g.
   * '--backend' in a command-line tool. Default 'preferred'.
   */
  preferredOption?: string;
  /**
   * Folder or URL prefix of the wasm binaries, ending in '/', passed to the wasm
   * backend's `setWasmPaths`. Ignored once wasm is initialised. Default: the location
   * that the wasm backend finds by itself (next to its own script).
   */
  wasmPaths?: string;
  /**
   * WebGPU implementation to install as `navigator.gpu` when the runtime has none, e.g.
   * Dawn from the `webgpu` package in Node. WebGPU from it is reported when found but
   * used only when `preferred` is 'webgpu'. Default: none, so WebGPU needs `navigator.gpu`.
   */
  webgpu?: WebgpuProvider;
  /** Receives one line for each candidate, and one for the composed wasm kernels. Default: none. */
  log?: (line: string) => void;
  /**
   * Whether to call {@link registerWasmTrainingKernels} when wasm is chosen, so that conv
   * nets can train on it. Default true.
   */
  registerKernels?: boolean;
}

/** One backend that {@link setupBackend} considered. */
export interface BackendCandidate {
  /** Backend name as tfjs registers it, e.g. 'wasm'. */
  name: string;
  /** Whether the backend could be used; false also when it was not probed. */
  available: boolean;
  /** Reason it was chosen, passed over or unavailable, e.g. 'chosen (SIMD, 1 thread)'. */
  reason: string;
}

/** Result of {@link setupBackend}. */
export interface BackendReport {
  /** The backend that `tf.getBackend()` now returns. */
  backend: string;
  /** Device of the chosen backend, e.g. 'SIMD, 1 thread' or 'adapter nvidia ampere'. */
  device: string;
  /** Every known backend, fastest first. */
  candidates: BackendCandidate[];
  /** On wasm with `registerKernels`, the kernels that run as compositions. */
  wasmKernels?: WasmKernelState;
}

/**
 * Picks and initialises the fastest tfjs backend that works here, in this order:
 *
 * 1. `tensorflow`, when `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` is
 *    installed (neither is a dependency, because their install downloads libtensorflow);
 * 2. `webgpu`, when `@tensorflow/tfjs-backend-webgpu` loads and `navigator.gpu` returns
 *    an adapter (WebGPU from `options.webgpu` is chosen only when preferred);
 * 3. `wasm`, when `@tensorflow/tfjs-backend-wasm` loads and initialises; its missing
 *    training kernels are then registered with {@link registerWasmTrainingKernels};
 * 4. `cpu`.
 *
 * A backend counts as available only if it registers on this tfjs-core instance,
 * because in Node a backend's CommonJS build can load a second tfjs-core, whose
 * backends are missing from this engine. The gradient registry is checked first,
 * because a conv net can't train without it.
 *
 * @param options See {@link SetupBackendOptions}.
 * @returns Which backend was chosen and why each other one was not.
 * @throws Error if gradients are not registered, if `preferred` is not a known name or
 *   is unavailable (the message gives the reason and the valid names), or if no backend
 *   initialises.
 */
export async function setupBackend(options: SetupBackendOptions = {}): Promise<BackendReport> {
  assertGradientsRegistered();
  const option = options.preferredOption ?? 'preferred';
  const preferred = parsePreferred(options.preferred, option);
  const order: readonly BackendName[] = preferred === undefined ? BACKEND_NAMES : [preferred];

  const candidates: BackendCandidate[] = BACKEND_NAMES.map((name) => ({
    name,
    available: false,
    reason: `not probed: preferred backend is ${preferred}`,
  }));
  const candidateOf = (name: BackendName) => candidates[BACKEND_NAMES.indexOf(name)]!;

  let chosen: BackendName | undefined;
  let device = '';
  for (const name of order) {
    const candidate = candidateOf(name);
    const probe = await probeBackend(name, {
      wasmPaths: options.wasmPaths,
      webgpu: options.webgpu,
    });
    candidate.available = probe.available;
    candidate.reason = probe.reason;
    if (!probe.available) {
      continue;
    }
    if (chosen !== undefined) {
      candidate.reason = `available, not chosen (${chosen} ranks higher)`;
      continue;
    }
    if (preferred === undefined && probe.manualOnly !== undefined) {
      candidate.reason = `${probe.reason}; not chosen automatically: ${probe.manualOnly}`;
      continue;
    }

    const failure = await activate(name);
    if (failure !== undefined) {
      candidate.available = false;
      candidate.reason = `failed to initialise: ${failure}`;
      continue;
    }
    chosen = name;
    device = probe.describe === undefined ? '' : await probe.describe();
    candidate.reason = device === '' ? 'chosen' : `chosen (${device})`;
  }

  if (chosen === undefined) {
    throw new Error(noBackendMessage(preferred, candidates, option));
  }
  const report: BackendReport = { backend: chosen, device, candidates };
  if (chosen === 'wasm' && (options.registerKernels ?? true)) {
    report.wasmKernels = registerWasmTrainingKernels();
  }

  logReport(report, options.log);
  return report;
}

function parsePreferred(preferred: string | undefined, option: string): BackendName | undefined {
  if (preferred === undefined) {
    return undefined;
  }
  const name = BACKEND_NAMES.find((known) => known === preferred);
  if (name === undefined) {
    throw new Error(
      `Unknown backend '${preferred}' in ${option}. Valid names: ${BACKEND_NAMES.join(', ')}.`,
    );
  }
  return name;
}

/**
 * Runs `tf.setBackend(name)` and returns the cause when it fails. tfjs catches a failed
 * initialisation and only logs it (not at all when IS_TEST or PROD is set), so the
 * factory is wrapped for the call to keep the error.
 */
async function activate(name: BackendName): Promise<string | undefined> {
  const entry = tf.engine().registryFactory[name];
  if (entry === undefined) {
    return `no '${name}' backend is registered`;
  }
  const factory = entry.factory;
  let cause: unknown;
  entry.factory = async () => {
    try {
      return await factory();
    } catch (error) {
      cause = error;
      throw error;
    }
  };

  try {
    const succeeded = await tf.setBackend(name);
    if (succeeded) {
      return undefined;
    }
    return cause === undefined ? 'tf.setBackend returned false' : messageOf(cause);
  } catch (error) {
    return messageOf(error);
  } finally {
    entry.factory = factory;
  }
}

function noBackendMessage(
  preferred: BackendName | undefined,
  candidates: BackendCandidate[],
  option: string,
): string {
  if (preferred !== undefined) {
    const reason = candidates.find((c) => c.name === preferred)!.reason;
    return (
      `Preferred backend '${preferred}' is not available: ${reason}. ` +
      `Valid names: ${BACKEND_NAMES.join(', ')}; omit ${option} to use the first available one.`
    );
  }
  const reasons = candidates.map((c) => `${c.name}: ${c.reason}`).join('; ');
  return `No tfjs backend could be initialised (${reasons}).`;
}

function logReport(report: BackendReport, log: ((line: string) => void) | undefined): void {
  if (log === undefined) {
    return;
  }
  for (const candidate of report.candidates) {
    log(`${candidate.name}: ${candidate.reason}`);
  }
  const kernels = report.wasmKernels;
  if (kernels !== undefined) {
    log(
      `wasm kernels from @simclr-ts/backends: added ${kernels.added.join(', ') || 'none'}; ` +
        `replaced ${kernels.replaced.join(', ') || 'none'}`,
    );
  }
}
