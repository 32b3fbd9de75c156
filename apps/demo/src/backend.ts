import { setupBackend, type BackendCandidate, type BackendReport } from '@simclr-ts/backends';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import {
  failureReason,
  pageCandidates,
  requestFailureMessage,
  softwareAdapterName,
  softwareAdapterReason,
  type AdapterLike,
} from './backend-wording';
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
  /** Reason the requested backend failed, when the page fell back to 'auto'. */
  fallbackReason: string | undefined;
}

/**
 * Initialises tfjs on the requested backend, or on the first of webgpu, wasm and
 * cpu that works ('auto', or when the requested one fails). 'auto' ranks a software
 * WebGPU adapter (SwiftShader) below wasm, because it trains far slower. Vite serves
 * the wasm binaries under hashed names, so their URLs are passed to the wasm backend
 * as a map. `@simclr-ts/backends` adds the training kernels that wasm lacks.
 *
 * @throws Error when no backend initialises.
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

  if (choice === 'auto') {
    return (await chooseAutomatically()).result;
  }
  try {
    const report = await setupBackend({ preferred: choice });
    return describeReport(report, `not probed, because backend=${choice} was requested`);
  } catch (error) {
    const fallback = await chooseAutomatically();
    return {
      ...fallback.result,
      fallbackReason: requestFailureMessage(choice, error, fallback.report),
    };
  }
}

/** Chooses the backend for 'auto' and returns the page's result with the package's report. */
async function chooseAutomatically(): Promise<{
  result: BackendChoiceResult;
  report: BackendReport;
}> {
  const software = await findSoftwareAdapter();
  if (software !== undefined) {
    const reasons = new Map<string, string>([['webgpu', softwareAdapterReason(software)]]);
    for (const preferred of ['wasm', 'cpu']) {
      try {
        const report = await setupBackend({ preferred });
        const result = describeReport(report, `not probed, because ${preferred} ranks higher`, {
          reasons,
          webgpuAvailable: true,
        });
        return { result, report };
      } catch (error) {
        reasons.set(preferred, failureReason(error));
      }
    }
    // Neither wasm nor cpu works, so the software adapter is the only backend left.
  }
  const report = await setupBackend();
  return { result: describeReport(report, 'not probed'), report };
}

/**
 * Requests a WebGPU adapter as tfjs's backend does (high performance) and returns its
 * name when it is a software renderer, or undefined when it is hardware or absent.
 */
async function findSoftwareAdapter(): Promise<string | undefined> {
  const gpu = (
    navigator as {
      gpu?: { requestAdapter(options: object): Promise<AdapterLike | null> };
    }
  ).gpu;
  if (gpu === undefined) {
    return undefined;
  }
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    return adapter === null ? undefined : softwareAdapterName(adapter);
  } catch {
    // setupBackend probes the adapter again and reports the failure.
    return undefined;
  }
}

/**
 * Builds the page's result from a report of `setupBackend`. `overrides.reasons` replace
 * the reasons of the named candidates, which then count as unavailable unless the
 * candidate is webgpu and `overrides.webgpuAvailable` is set.
 */
function describeReport(
  report: BackendReport,
  notProbedReason: string,
  overrides: { reasons: Map<string, string>; webgpuAvailable: boolean } = {
    reasons: new Map(),
    webgpuAvailable: false,
  },
): BackendChoiceResult {
  const candidates = pageCandidates(report.candidates, notProbedReason).map((candidate) => {
    const reason = overrides.reasons.get(candidate.name);
    if (reason === undefined) {
      return candidate;
    }
    const available = candidate.name === 'webgpu' && overrides.webgpuAvailable;
    return { ...candidate, available, reason };
  });

  const chosen = candidates.find((candidate) => candidate.name === report.backend);
  const webgpu = candidates.find((candidate) => candidate.name === 'webgpu');
  return {
    backend: report.backend,
    detail: /^chosen \((.*)\)$/.exec(chosen?.reason ?? '')?.[1] ?? '',
    candidates,
    webgpuMissing: report.backend === 'webgpu' ? undefined : webgpu?.reason,
    fallbackReason: undefined,
  };
}
