// The page's wording of what @simclr-ts/backends reports, in terms of the page's own
// `backend` query parameter. Pure functions, so they can be tested in Node.
import type { BackendCandidate } from '@simclr-ts/backends';
import { BACKEND_CHOICES, type BackendChoice } from './settings';

/** The part of a WebGPU `GPUAdapter` that {@link softwareAdapterName} reads. */
export interface AdapterLike {
  /** Older form of `info.isFallbackAdapter`, still present in some browsers. */
  isFallbackAdapter?: boolean;
  info?: { architecture?: string; isFallbackAdapter?: boolean };
}

/**
 * Returns a name for a software WebGPU adapter (e.g. 'swiftshader'), or undefined for
 * a hardware one. Chromium reports SwiftShader, a CPU emulating a GPU, with the
 * architecture 'swiftshader'; browsers mark other software adapters as fallback adapters.
 */
export function softwareAdapterName(adapter: AdapterLike): string | undefined {
  const architecture = adapter.info?.architecture ?? '';
  if (architecture.toLowerCase() === 'swiftshader') {
    return architecture;
  }
  if (adapter.info?.isFallbackAdapter === true || adapter.isFallbackAdapter === true) {
    return architecture === '' ? 'fallback adapter' : architecture;
  }
  return undefined;
}

/** Reason that `backend=auto` passes over a software adapter named by {@link softwareAdapterName}. */
export function softwareAdapterReason(name: string): string {
  return (
    `WebGPU adapter is a software renderer (${name}), slower than wasm; ` +
    'use ?backend=webgpu to use it anyway'
  );
}

/**
 * Rewords the reasons of the backends considered for a browser page: 'tensorflow'
 * (tfjs-node) is Node only, and a backend that was not probed because another one was
 * requested gets `notProbedReason` in place of the package's wording.
 */
export function pageCandidates(
  candidates: readonly BackendCandidate[],
  notProbedReason: string,
): BackendCandidate[] {
  return candidates.map((candidate) => {
    if (candidate.name === 'tensorflow' && !candidate.available) {
      return { ...candidate, reason: 'Node only (tfjs-node)' };
    }
    if (candidate.reason.startsWith('not probed')) {
      return { ...candidate, reason: notProbedReason };
    }
    return candidate;
  });
}

/**
 * Describes why the requested backend failed, for the page's error line, e.g.
 * "backend=webgpu is not available: no WebGPU in this runtime (navigator.gpu is
 * undefined). Using wasm instead (backend=auto; choices: auto, webgpu, wasm, cpu)."
 *
 * The reason is the one that the fallback report gives for the requested backend when
 * that report found it unavailable too. Otherwise it is the error's message, without
 * the hint on `setupBackend`'s own option that @simclr-ts/backends appends.
 */
export function requestFailureMessage(
  requested: Exclude<BackendChoice, 'auto'>,
  error: unknown,
  fallback: { backend: string; candidates: readonly BackendCandidate[] },
): string {
  const candidate = fallback.candidates.find((entry) => entry.name === requested);
  let reason: string;
  if (
    candidate !== undefined &&
    !candidate.available &&
    !candidate.reason.startsWith('not probed')
  ) {
    reason = candidate.reason;
  } else {
    reason = failureReason(error);
  }
  return (
    `backend=${requested} is not available: ${reason}. ` +
    `Using ${fallback.backend} instead (backend=auto; choices: ${BACKEND_CHOICES.join(', ')}).`
  );
}

/**
 * Returns the reason in an error of `setupBackend` for a backend requested by name,
 * without its hint on `setupBackend`'s own option: "Preferred backend 'wasm' is not
 * available: REASON. Valid names: …" becomes "REASON".
 */
export function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/^Preferred backend '[^']*' is not available: /, '')
    .replace(/\.?\s*Valid names:.*$/s, '');
}
