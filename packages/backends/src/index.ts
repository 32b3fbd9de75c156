export { setupBackend } from './setup-backend';
export type { BackendCandidate, BackendReport, SetupBackendOptions } from './setup-backend';
export { BACKEND_NAMES } from './backend-probes';
export { isModuleNotFound } from './probe-utils';
export type { BackendName } from './backend-probes';
export {
  getWasmKernelState,
  registerWasmTrainingKernels,
  restoreWasmKernels,
} from './register-wasm-kernels';
export type { WasmKernelOptions, WasmKernelState } from './register-wasm-kernels';
export { assertGradientsRegistered } from './assert-gradients';
export { FUSED_BATCH_NORM_KERNEL_NAMES } from './kernels/batch-norm/fused-batch-norm';
export type { GpuAdapterLike, GpuLike, WebgpuProvider } from './webgpu-probe';
export { TFJS_NODE_GPU_REQUIREMENTS, TFJS_NODE_PACKAGES } from './tensorflow-probe';
