import { readFileSync } from 'node:fs';
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import webgpuBackendManifest from '@tensorflow/tfjs-backend-webgpu/package.json';
import { TFJS_NODE_PACKAGES } from '@simclr-ts/backends';

/** Version of one package that the CLI uses or can load. */
export interface PackageVersion {
  name: string;
  /** Installed or bundled version; null when the package is not installed. */
  version: string | null;
  /** True for packages inside the CLI bundle, false for those loaded from node_modules. */
  bundled: boolean;
}

/**
 * Returns the version of `name` installed where the CLI's own imports resolve, or
 * undefined when it is not installed.
 */
export function installedVersion(name: string): string | undefined {
  try {
    // A variable specifier keeps esbuild from bundling the manifest, so this reads the installed one.
    const manifestPath = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Lists tfjs-core, each backend package and Dawn with their versions. */
export function packageVersions(): PackageVersion[] {
  const bundled = (name: string, version: string) => ({ name, version, bundled: true });
  const installed = (name: string) => ({
    name,
    version: installedVersion(name) ?? null,
    bundled: false,
  });
  return [
    bundled('@tensorflow/tfjs-core', tf.version_core),
    bundled('@tensorflow/tfjs-backend-cpu', version_cpu),
    bundled('@tensorflow/tfjs-backend-wasm', version_wasm),
    bundled('@tensorflow/tfjs-backend-webgpu', webgpuBackendManifest.version),
    ...TFJS_NODE_PACKAGES.map(installed),
    installed('webgpu'),
  ];
}
