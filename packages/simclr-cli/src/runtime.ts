// Loads tfjs for the CLI. The bundle is built with esbuild's main fields
// `module,main`, so these imports and the ones inside our packages resolve to
// one ES build of tfjs-core, and the gradient registrations below reach it.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend, type BackendReport } from '@simclr-ts/backends';
import { dirname, join } from 'node:path';
import { dawnProvider } from './dawn';

/** Directory of the wasm binaries shipped in @tensorflow/tfjs-backend-wasm. */
export function wasmBinaryDirectory(): string {
  return `${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`;
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * Whether to load Dawn and probe WebGPU even when `preferred` is not 'webgpu', so that
   * the report explains it. WebGPU is still chosen only by name. Default false, because
   * loading Dawn slows every start, and Dawn prints a warning when no Vulkan driver loads.
   */
  probeDawn?: boolean;
}

/**
 * Initialises the tfjs backend named `preferred`, or the fastest available
 * one when it is undefined, and returns the report of the choice.
 */
export async function initBackend(
  preferred: string | undefined,
  options: InitBackendOptions = {},
): Promise<BackendReport> {
  // Production mode drops tfjs's debug checks and its advice to install tfjs-node.
  tf.enableProdMode();
  const useDawn = preferred === 'webgpu' || options.probeDawn === true;
  return setupBackend({
    preferred,
    preferredOption: '--backend',
    wasmPaths: wasmBinaryDirectory(),
    webgpu: useDawn ? dawnProvider() : undefined,
  });
}
