import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterKernel } from './kernels/conv2d-backprop-filter';
import { conv2DBackpropInputKernel } from './kernels/conv2d-backprop-input';
import {
  FUSED_BATCH_NORM_KERNEL_NAMES,
  gradInputKernel,
  gradSumsKernel,
  momentsKernel,
  scaleShiftKernel,
} from './kernels/batch-norm/fused-batch-norm';
import { unsortedSegmentSumKernel } from './kernels/unsorted-segment-sum';

const WASM = 'wasm';

// Marks our kernel configs in tfjs's kernel registry. Symbol.for gives the same key in
// every copy of this package (ESM and CommonJS builds), so each copy recognises the
// kernels that another registered. The registry is the only state.
const COMPOSED = Symbol.for('@simclr-ts/backends:composed-kernel');

interface ComposedKernelConfig extends KernelConfig {
  /** The wasm kernel that this config displaced, if any. */
  [COMPOSED]: { replaced?: KernelConfig };
}

/**
 * Kernels that the wasm backend of tfjs 4.22 lacks and training a conv net needs, and the
 * fused BatchNorm kernels that `@simclr-ts/models` uses when a backend has them.
 */
const MISSING_KERNELS: ReadonlyArray<{ kernelName: string; kernelFunc: KernelFunc }> = [
  { kernelName: tf.Conv2DBackpropFilter, kernelFunc: conv2DBackpropFilterKernel },
  { kernelName: tf.UnsortedSegmentSum, kernelFunc: unsortedSegmentSumKernel },
  { kernelName: FUSED_BATCH_NORM_KERNEL_NAMES.moments, kernelFunc: momentsKernel },
  { kernelName: FUSED_BATCH_NORM_KERNEL_NAMES.scaleShift, kernelFunc: scaleShiftKernel },
  { kernelName: FUSED_BATCH_NORM_KERNEL_NAMES.gradSums, kernelFunc: gradSumsKernel },
  { kernelName: FUSED_BATCH_NORM_KERNEL_NAMES.gradInput, kernelFunc: gradInputKernel },
];

/** Options of {@link registerWasmTrainingKernels}. */
export interface WasmKernelOptions {
  /**
   * Whether to replace wasm's own `Conv2DBackpropInput`, a plain loop that does not use
   * XNNPACK, with a composition on wasm's XNNPACK `Conv2D`. `false` puts wasm's own kernel
   * back if an earlier call replaced it. Default true.
   */
  replaceConv2DBackpropInput?: boolean;
}

/** Names of the wasm kernels that currently run as compositions of other kernels. */
export interface WasmKernelState {
  /** Kernels that wasm lacks and this package added, e.g. `Conv2DBackpropFilter`. */
  added: string[];
  /** Kernels of wasm that this package replaced; {@link restoreWasmKernels} undoes it. */
  replaced: string[];
}

/**
 * Registers on the `wasm` backend the kernels that training needs and wasm lacks
 * (`Conv2DBackpropFilter`, `UnsortedSegmentSum`), each composed from kernels that wasm
 * has, and by default replaces wasm's slow `Conv2DBackpropInput` the same way.
 *
 * Idempotent: a second call changes nothing unless `replaceConv2DBackpropInput` differs.
 * A kernel that wasm already provides (a later tfjs version may) is left alone. Works
 * before or after the wasm backend is initialised, but `@tensorflow/tfjs-backend-wasm`
 * must be imported first, because importing it registers its kernels and would
 * overwrite a replacement registered earlier.
 *
 * @param options See {@link WasmKernelOptions}.
 * @returns The kernels that are composed after the call.
 * @throws Error if the wasm backend's kernels are not registered.
 */
export function registerWasmTrainingKernels(options: WasmKernelOptions = {}): WasmKernelState {
  if (tf.getKernel(tf.Conv2D, WASM) === undefined) {
    throw new Error(
      "registerWasmTrainingKernels: the wasm backend's kernels are not registered. " +
        "Import '@tensorflow/tfjs-backend-wasm' (with the same @tensorflow/tfjs-core) first.",
    );
  }

  for (const { kernelName, kernelFunc } of MISSING_KERNELS) {
    if (tf.getKernel(kernelName, WASM) === undefined) {
      tf.registerKernel(composedConfig(kernelName, kernelFunc));
    }
  }

  if (options.replaceConv2DBackpropInput ?? true) {
    replaceKernel(tf.Conv2DBackpropInput, conv2DBackpropInputKernel);
  } else {
    restoreKernel(tf.Conv2DBackpropInput);
  }
  return getWasmKernelState();
}

/**
 * Undoes {@link registerWasmTrainingKernels}: removes the added kernels and puts back the
 * wasm kernels that it replaced. Training conv nets on wasm then fails again with
 * "Kernel 'Conv2DBackpropFilter' not registered". A no-op when nothing is registered.
 */
export function restoreWasmKernels(): void {
  for (const { kernelName } of MISSING_KERNELS) {
    restoreKernel(kernelName);
  }
  restoreKernel(tf.Conv2DBackpropInput);
}

/** Reads from tfjs's kernel registry which wasm kernels this package has added or replaced. */
export function getWasmKernelState(): WasmKernelState {
  const state: WasmKernelState = { added: [], replaced: [] };
  for (const kernelName of [...MISSING_KERNELS.map((k) => k.kernelName), tf.Conv2DBackpropInput]) {
    const config = tf.getKernel(kernelName, WASM);
    if (!isComposed(config)) {
      continue;
    }
    if (config[COMPOSED].replaced === undefined) {
      state.added.push(kernelName);
    } else {
      state.replaced.push(kernelName);
    }
  }
  return state;
}

function composedConfig(
  kernelName: string,
  kernelFunc: KernelFunc,
  replaced?: KernelConfig,
): ComposedKernelConfig {
  // tfjs runs the setup function of each registered kernel whenever a backend is set, and
  // wasm's setup binds its kernel to the current wasm module. Running the displaced
  // kernel's setup keeps it bound, so restoreWasmKernels() works after a re-initialisation.
  return {
    kernelName,
    backendName: WASM,
    kernelFunc,
    setupFunc: replaced?.setupFunc,
    disposeFunc: replaced?.disposeFunc,
    [COMPOSED]: { replaced },
  };
}

function isComposed(config: KernelConfig | undefined): config is ComposedKernelConfig {
  return config !== undefined && COMPOSED in config;
}

function replaceKernel(kernelName: string, kernelFunc: KernelFunc): void {
  const current = tf.getKernel(kernelName, WASM);
  if (current === undefined || isComposed(current)) {
    return;
  }
  tf.unregisterKernel(kernelName, WASM);
  tf.registerKernel(composedConfig(kernelName, kernelFunc, current));
}

function restoreKernel(kernelName: string): void {
  const current = tf.getKernel(kernelName, WASM);
  if (!isComposed(current)) {
    return;
  }
  tf.unregisterKernel(kernelName, WASM);
  const replaced = current[COMPOSED].replaced;
  if (replaced !== undefined) {
    tf.registerKernel(replaced);
  }
}
