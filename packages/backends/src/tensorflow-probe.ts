import * as tf from '@tensorflow/tfjs-core';
import type { ProbeResult } from './backend-probes';
import { checkRegistered, importOptional } from './probe-utils';

/** The packages of the `tensorflow` backend, in the order they are tried. */
export const TFJS_NODE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/**
 * Requirements of tfjs-node-gpu 4.x for running on a GPU. Its libtensorflow 2.9.1 is
 * built for CUDA 11.2 and cuDNN 8.1, as tfjs-node's README states.
 */
export const TFJS_NODE_GPU_REQUIREMENTS =
  'tfjs-node-gpu 4.x needs an NVIDIA driver, CUDA 11.2 and cuDNN 8.1 on the library path';

/** Names in a loader message that point to a missing or mismatched CUDA library. */
const CUDA_LIBRARY = /lib(cudart|cublas|cufft|curand|cusolver|cusparse|cudnn|nvinfer)|\bCUDA\b/i;

/** The exports of tfjs-node that the probe reads. */
interface TfjsNodeModule {
  version?: Record<string, string | undefined>;
  default?: { version?: Record<string, string | undefined> };
}

/**
 * The fields of tfjs-node's `NodeJSKernelBackend` that tell where TensorFlow runs. The
 * binding sets `isUsingGpuDevice` when it creates its TensorFlow eager context: true if
 * the context lists a GPU device, false if TensorFlow fell back to the CPU.
 */
export interface TensorflowBackendLike {
  isGPUPackage?: boolean;
  isUsingGpuDevice?: boolean;
  binding?: { TF_Version?: string };
}

/**
 * Imports tfjs-node-gpu, then tfjs-node, and reports the first that loads.
 *
 * tfjs-node brings its own CommonJS tfjs-core. tfjs-core keeps its engine and its kernel
 * and gradient registries in global variables (`_tfengine`, `_tfGlobals`), so the
 * `tensorflow` backend that tfjs-node registers reaches every copy of the same version.
 * A different tfjs-core version would share that engine with code it was not built
 * for, so the probe rejects it.
 */
export async function probeTensorflow(): Promise<ProbeResult> {
  const failures: string[] = [];
  for (const specifier of TFJS_NODE_PACKAGES) {
    // The specifier is a variable so that bundlers leave tfjs-node, a native Node addon, out.
    const loaded = await importOptional(
      specifier,
      () => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier),
    );
    if (loaded.status === 'missing') {
      continue;
    }
    if (loaded.status === 'failed') {
      failures.push(describeLoadFailure(specifier, loaded.message));
      continue;
    }

    const module = loaded.module as TfjsNodeModule;
    const versions = module.version ?? module.default?.version ?? {};
    const packageVersion = versions['tfjs-node'] ?? 'of unknown version';
    const coreVersion = versions['tfjs-core'];
    if (coreVersion !== undefined && coreVersion !== tf.version_core) {
      return {
        available: false,
        reason:
          `${specifier} ${packageVersion} is built on tfjs-core ${coreVersion}, but this program ` +
          `uses tfjs-core ${tf.version_core}; install ${specifier}@${tf.version_core}`,
      };
    }
    const unregistered = checkRegistered('tensorflow', specifier);
    if (unregistered !== undefined) {
      return unregistered;
    }

    // NOTE: no real tfjs-node has loaded in this repository's tests, because it cannot be
    // installed offline. The fields read here come from tfjs-node 4.22's sources.
    const name = `${specifier} ${packageVersion}`;
    return {
      available: true,
      reason: `${name} loaded`,
      describe: async () => {
        const backend = tf.engine().registry['tensorflow'] as TensorflowBackendLike | undefined;
        return `${name}, ${describeTensorflowDevice(specifier, backend)}`;
      },
    };
  }

  if (failures.length > 0) {
    return { available: false, reason: failures.join('; ') };
  }
  return { available: false, reason: `not installed (${TFJS_NODE_PACKAGES.join(', ')})` };
}

/**
 * Returns the reason for a tfjs-node package that failed to load, with the CUDA
 * requirements when tfjs-node-gpu's message names a CUDA library.
 */
export function describeLoadFailure(specifier: string, message: string): string {
  const reason = `${specifier} failed to load: ${message}`;
  if (specifier === '@tensorflow/tfjs-node-gpu' && CUDA_LIBRARY.test(message)) {
    return `${reason} (${TFJS_NODE_GPU_REQUIREMENTS})`;
  }
  return reason;
}

/**
 * Describes where an initialised tfjs-node backend runs, e.g. 'TensorFlow 2.9.1 on a
 * CUDA GPU'. tfjs-node-gpu loads without a usable GPU and then runs on the CPU, which
 * `isUsingGpuDevice` reveals.
 */
export function describeTensorflowDevice(
  specifier: string,
  backend: TensorflowBackendLike | undefined,
): string {
  const version = backend?.binding?.TF_Version;
  const tensorflow = version === undefined ? 'TensorFlow' : `TensorFlow ${version}`;
  if (backend?.isUsingGpuDevice === true) {
    return `${tensorflow} on a CUDA GPU`;
  }
  if (specifier !== '@tensorflow/tfjs-node-gpu') {
    return `${tensorflow} on the CPU`;
  }
  if (backend?.isUsingGpuDevice === false) {
    return (
      `${tensorflow} on the CPU: TensorFlow found no CUDA device (${TFJS_NODE_GPU_REQUIREMENTS}; ` +
      "TensorFlow's log on stderr names any library it could not load)"
    );
  }
  return `${tensorflow}, device unknown: this tfjs-node-gpu does not expose isUsingGpuDevice`;
}
