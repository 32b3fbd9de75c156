// Entry of the parity page. The Node test opens it once per backend and calls
// window.runParityCases(backend), which returns plain arrays for comparison in Node.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { listAugmentations } from '@simclr-ts/augment';
import { setupBackend } from '@simclr-ts/backends';

import { augmentCases } from '../cases/augment-cases';
import { encoderCases } from '../cases/encoder-cases';
import { kernelCases } from '../cases/kernel-cases';
import { lossCases } from '../cases/loss-cases';
import type { ParityCase } from '../cases/parity-case';
import { PARITY_BACKENDS, type ParityBackend, type ParityRun } from '../types';
import { runCase } from './run-cases';
import { collectGpuErrors, readAdapter, readBackendAdapter } from './webgpu';

declare global {
  interface Window {
    /** Runs every case, or those named in `only`, on `backend` and returns the results. */
    runParityCases(backend: ParityBackend, only?: string[]): Promise<ParityRun>;
  }
}

/**
 * Points the wasm backend at its binaries. Vite gives each binary a hashed file name, so
 * the backend gets a map rather than the folder that `setupBackend`'s `wasmPaths` takes.
 * The backend is imported here only for wasm runs, as `setupBackend` imports it.
 */
async function setWasmBinaries(): Promise<void> {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
  });
}

function allCases(): ParityCase[] {
  return [...augmentCases(), ...lossCases(), ...encoderCases(), ...kernelCases()];
}

window.runParityCases = async (backend, only) => {
  if (!PARITY_BACKENDS.includes(backend)) {
    throw new Error(`Unknown backend '${backend}'; expected one of ${PARITY_BACKENDS.join(', ')}.`);
  }
  if (backend === 'wasm') {
    await setWasmBinaries();
  }
  const setupLog: string[] = [];
  await setupBackend({ preferred: backend, log: (line) => setupLog.push(line) });

  const cases = allCases().filter(
    (parityCase) => only === undefined || only.includes(parityCase.name),
  );
  const takeGpuErrors = backend === 'webgpu' ? collectGpuErrors() : () => [];
  const results = [];
  for (const parityCase of cases) {
    results.push(await runCase(parityCase, takeGpuErrors));
  }

  const adapter = backend === 'webgpu' ? await readAdapter() : undefined;
  const backendAdapter = backend === 'webgpu' ? readBackendAdapter() : undefined;
  return {
    requested: backend,
    backend: tf.getBackend(),
    setupLog,
    ...(adapter === undefined ? {} : { adapter }),
    ...(backendAdapter === undefined ? {} : { backendAdapter }),
    registeredAugmentations: listAugmentations(),
    cases: results,
  };
};
