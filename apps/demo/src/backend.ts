import { setupBackend, type BackendCandidate } from '@simclr-ts/backends';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendChoice } from './settings';

/** The backend that the page uses and why. */
export interface BackendChoiceResult {
  /** Name of the active tfjs backend, e.g. 'webgpu'. */
  backend: string;
  /** Description that the chosen backend reported, e.g. 'adapter google swiftshader'. */
  detail: string;
  /** Every backend that was considered, with the reason it was chosen or not. */
  candidates: BackendCandidate[];
  /** Reason WebGPU is not the active backend, or undefined when it is. */
  webgpuMissing: string | undefined;
  /** Set when the requested backend failed and the page fell back to 'auto'. */
  fallbackReason: string | undefined;
}

/**
 * Initialises tfjs on the requested backend, or on the first of webgpu, wasm and
 * cpu that works ('auto', or when the requested one fails). Vite serves the wasm
 * binaries under hashed names, so their URLs are passed to the wasm backend as a map.
 * `@simclr-ts/backends` adds the training kernels that wasm lacks.
 */
export async function chooseBackend(choice: BackendChoice): Promise<BackendChoiceResult> {
  // Imported here rather than at the top, so the package stays in the chunk that
  // @simclr-ts/backends loads on demand.
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlainUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
  });

  let fallbackReason: string | undefined;
  let report;
  try {
    report = await setupBackend(choice === 'auto' ? {} : { preferred: choice });
  } catch (error) {
    if (choice === 'auto') {
      throw error;
    }
    fallbackReason = error instanceof Error ? error.message : String(error);
    report = await setupBackend();
  }

  const chosen = report.candidates.find((candidate) => candidate.name === report.backend);
  const webgpu = report.candidates.find((candidate) => candidate.name === 'webgpu');
  return {
    backend: report.backend,
    detail: /^chosen \((.*)\)$/.exec(chosen?.reason ?? '')?.[1] ?? '',
    candidates: report.candidates,
    webgpuMissing: report.backend === 'webgpu' ? undefined : webgpu?.reason,
    fallbackReason,
  };
}
