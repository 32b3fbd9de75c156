import type { DataId, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { BATCH_NORM_WASM_BASE64 } from './batch-norm-module';

/**
 * Names of the fused BatchNorm kernels. `@simclr-ts/models` looks them up by these names
 * in tfjs's kernel registry and uses them for training-mode BatchNorm when the active
 * backend has them.
 */
export const FUSED_BATCH_NORM_KERNEL_NAMES = {
  moments: 'SimclrBatchNormMoments',
  scaleShift: 'SimclrScaleShift',
  gradSums: 'SimclrBatchNormGradSums',
  gradInput: 'SimclrBatchNormGradInput',
} as const;

/** The parts of tfjs 4.22's wasm backend that the kernels use; not a public tfjs API. */
interface WasmBackendInternals {
  wasm: {
    asm: { memory: WebAssembly.Memory };
    _malloc(bytes: number): number;
    _free(pointer: number): void;
  };
  dataIdMap: { get(dataId: DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

/** Exports of batch-norm.wat; every pointer is a byte offset into the backend's memory. */
interface BatchNormExports {
  moments(x: number, rows: number, channels: number, scratch: number, out: number): void;
  scaleShift(
    x: number,
    scale: number,
    shift: number,
    y: number,
    rows: number,
    channels: number,
    floor: number,
  ): void;
  gradSums(
    dy: number,
    x: number,
    gate: number,
    mean: number,
    rows: number,
    channels: number,
    floor: number,
    scratch: number,
    out: number,
  ): void;
  gradInput(
    dy: number,
    x: number,
    gate: number,
    mean: number,
    k1: number,
    k2: number,
    k3: number,
    dx: number,
    rows: number,
    channels: number,
    floor: number,
  ): void;
}

/** The module instance bound to one backend's memory, with its scratch buffer. */
interface Instance {
  exports: BatchNormExports;
  scratch: number;
  scratchBytes: number;
}

const instances = new WeakMap<object, Instance>();
let compiled: WebAssembly.Module | undefined;

function instanceFor(backend: WasmBackendInternals, channels: number): Instance {
  let instance = instances.get(backend);
  if (instance === undefined) {
    compiled ??= new WebAssembly.Module(base64Bytes(BATCH_NORM_WASM_BASE64));
    const module = new WebAssembly.Instance(compiled, { env: { memory: backend.wasm.asm.memory } });
    instance = {
      exports: module.exports as unknown as BatchNormExports,
      scratch: 0,
      scratchBytes: 0,
    };
    instances.set(backend, instance);
  }
  // The float64 accumulators take 16 bytes per channel.
  const needed = 16 * channels;
  if (instance.scratchBytes < needed) {
    if (instance.scratch !== 0) {
      backend.wasm._free(instance.scratch);
    }
    instance.scratch = backend.wasm._malloc(needed) >>> 0;
    instance.scratchBytes = needed;
  }
  return instance;
}

function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  if (typeof Buffer !== 'undefined') {
    return Uint8Array.from(Buffer.from(base64, 'base64'));
  }
  return Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
}

/** Returns the rows and channels of `x`, which must be float32 `[rows, channels]`. */
function matrixShape(kernel: string, x: TensorInfo): [number, number] {
  const [rows, channels] = x.shape;
  if (x.shape.length !== 2 || x.dtype !== 'float32' || channels! % 4 !== 0 || rows! < 1) {
    throw new Error(
      `${kernel}: expected a float32 [rows, channels] input with channels a multiple of 4, ` +
        `but got ${x.dtype} [${x.shape}]. Reshape the input or use tfjs ops for other shapes.`,
    );
  }
  return [rows!, channels!];
}

function pointer(backend: WasmBackendInternals, info: TensorInfo): number {
  return backend.dataIdMap.get(info.dataId)!.memoryOffset;
}

function requireInputs(
  kernel: string,
  inputs: Record<string, TensorInfo | undefined>,
  names: string[],
): TensorInfo[] {
  return names.map((name) => {
    const input = inputs[name];
    if (input === undefined) {
      throw new Error(`${kernel}: input '${name}' is missing.`);
    }
    return input;
  });
}

/** ReLU fused into the kernel: outputs and gates compare with 0, else with -Infinity. */
function floorOf(attrs: unknown): number {
  return (attrs as { relu?: boolean } | undefined)?.relu === true ? 0 : -Infinity;
}

/**
 * `SimclrBatchNormMoments`: per-channel mean and sum of squared deviations of x
 * `[rows, channels]`, returned as `[2, channels]` (row 0 the mean, row 1 the sum). Sums run
 * in float64 after subtracting the first row, so they do not cancel for large means.
 */
export const momentsKernel: KernelFunc = ({ inputs, backend }) => {
  const kernel = FUSED_BATCH_NORM_KERNEL_NAMES.moments;
  const wasm = backend as unknown as WasmBackendInternals;
  const [x] = requireInputs(kernel, inputs, ['x']);
  const [rows, channels] = matrixShape(kernel, x!);
  const out = wasm.makeOutput([2, channels], 'float32');
  const { exports, scratch } = instanceFor(wasm, channels);
  exports.moments(pointer(wasm, x!), rows, channels, scratch, pointer(wasm, out));
  return out;
};

/**
 * `SimclrScaleShift`: y = x · scale + shift per channel for x `[rows, channels]` and scale
 * and shift `[channels]`, followed by ReLU when the attribute `relu` is true.
 */
export const scaleShiftKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const kernel = FUSED_BATCH_NORM_KERNEL_NAMES.scaleShift;
  const wasm = backend as unknown as WasmBackendInternals;
  const [x, scale, shift] = requireInputs(kernel, inputs, ['x', 'scale', 'shift']);
  const [rows, channels] = matrixShape(kernel, x!);
  const y = wasm.makeOutput([rows, channels], 'float32');
  const { exports } = instanceFor(wasm, channels);
  exports.scaleShift(
    pointer(wasm, x!),
    pointer(wasm, scale!),
    pointer(wasm, shift!),
    pointer(wasm, y),
    rows,
    channels,
    floorOf(attrs),
  );
  return y;
};

/**
 * `SimclrBatchNormGradSums`: per-channel Σ g and Σ g · (x − mean) as `[2, channels]`, where
 * g is dy, or with the attribute `relu` dy where the forward output y is positive.
 * Inputs dy, x and y `[rows, channels]` (y only with `relu`), and mean `[channels]`.
 */
export const gradSumsKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const kernel = FUSED_BATCH_NORM_KERNEL_NAMES.gradSums;
  const wasm = backend as unknown as WasmBackendInternals;
  const floor = floorOf(attrs);
  const [dy, x, mean] = requireInputs(kernel, inputs, ['dy', 'x', 'mean']);
  const gate = floor === 0 ? requireInputs(kernel, inputs, ['y'])[0]! : x!;
  const [rows, channels] = matrixShape(kernel, x!);
  const out = wasm.makeOutput([2, channels], 'float32');
  const { exports, scratch } = instanceFor(wasm, channels);
  exports.gradSums(
    pointer(wasm, dy!),
    pointer(wasm, x!),
    pointer(wasm, gate),
    pointer(wasm, mean!),
    rows,
    channels,
    floor,
    scratch,
    pointer(wasm, out),
  );
  return out;
};

/**
 * `SimclrBatchNormGradInput`: dx = g · k1 + (x − mean) · k2 + k3 per channel, with g as in
 * `SimclrBatchNormGradSums`. Inputs dy, x, y (only with `relu`), mean, k1, k2 and k3.
 */
export const gradInputKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const kernel = FUSED_BATCH_NORM_KERNEL_NAMES.gradInput;
  const wasm = backend as unknown as WasmBackendInternals;
  const floor = floorOf(attrs);
  const [dy, x, mean, k1, k2, k3] = requireInputs(kernel, inputs, [
    'dy',
    'x',
    'mean',
    'k1',
    'k2',
    'k3',
  ]);
  const gate = floor === 0 ? requireInputs(kernel, inputs, ['y'])[0]! : x!;
  const [rows, channels] = matrixShape(kernel, x!);
  const dx = wasm.makeOutput([rows, channels], 'float32');
  const { exports } = instanceFor(wasm, channels);
  exports.gradInput(
    pointer(wasm, dy!),
    pointer(wasm, x!),
    pointer(wasm, gate),
    pointer(wasm, mean!),
    pointer(wasm, k1!),
    pointer(wasm, k2!),
    pointer(wasm, k3!),
    pointer(wasm, dx),
    rows,
    channels,
    floor,
  );
  return dx;
};
