// Plain JSON shapes that the page returns to the Node test. Nothing here imports tfjs, so
// the Node side can import it without loading a tfjs engine.

/** Backends that the suite runs, the reference first. */
export const PARITY_BACKENDS = ['cpu', 'wasm', 'webgpu'] as const;

/** A backend that the suite runs. */
export type ParityBackend = (typeof PARITY_BACKENDS)[number];

/** Backends compared with the `cpu` reference. */
export const COMPARED_BACKENDS = ['wasm', 'webgpu'] as const;

/** A backend compared with the `cpu` reference. */
export type ComparedBackend = (typeof COMPARED_BACKENDS)[number];

/** One output tensor of a case, read back as numbers. */
export interface CaseOutput {
  /** Name within the case, e.g. 'value' or 'grad z1'. */
  name: string;
  shape: number[];
  /** Values in row-major order. */
  values: number[];
}

/** Result of one case on one backend. */
export interface CaseResult {
  /** Case name, a key of the tolerance table, e.g. 'augment/color-jitter'. */
  name: string;
  /** The outputs, in a fixed order; empty when `error` is set. */
  outputs: CaseOutput[];
  /**
   * Values the case derived in JavaScript before it touched a tensor, e.g. the drawn
   * augmentation parameters as JSON. They must match on every backend.
   */
  inputDigest: string;
  /** `tf.memory().numTensors` before the case and after it disposed its tensors. */
  tensorsBefore: number;
  tensorsAfter: number;
  /** `tf.getBackend()` when the case finished. */
  backend: string;
  /** WebGPU validation errors raised during the case; always empty on other backends. */
  gpuErrors: string[];
  /** Message of the error the case threw, if any. */
  error?: string;
  /** Wall time of the case in milliseconds, including reading the outputs. */
  millis: number;
}

/** WebGPU adapter that `navigator.gpu.requestAdapter()` returned in the page. */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

/** Everything one backend's page run returns. */
export interface ParityRun {
  /** The backend requested from `setupBackend`. */
  requested: ParityBackend;
  /** `tf.getBackend()` after setup. */
  backend: string;
  /** Lines of `setupBackend`'s log, one per candidate backend. */
  setupLog: string[];
  /** The adapter that `navigator.gpu.requestAdapter()` returns, on WebGPU runs only. */
  adapter?: AdapterInfo;
  /** Vendor and architecture of the adapter that tfjs's WebGPU backend holds, on WebGPU runs only. */
  backendAdapter?: Pick<AdapterInfo, 'vendor' | 'architecture'>;
  /** `listAugmentations()` in the page, to check that every registered op has a case. */
  registeredAugmentations: string[];
  cases: CaseResult[];
}
