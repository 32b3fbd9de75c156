import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, useCliFixture } from './cli-fixture';

const require = createRequire(import.meta.url);
const { paths, runCli } = useCliFixture('simclr-info-');

/** Environment without a Vulkan driver for Dawn: no SwiftShader ICD, no Chromium libraries. */
const NO_VULKAN = { VK_ICD_FILENAMES: undefined, LD_LIBRARY_PATH: undefined };

interface InfoReport {
  backend: string;
  device: string;
  candidates: Array<{ name: string; available: boolean; reason: string }>;
  packages: Array<{ name: string; version: string | null; bundled: boolean }>;
}

function candidate(report: InfoReport, name: string) {
  return report.candidates.find((entry) => entry.name === name)!;
}

function packageVersion(report: InfoReport, name: string) {
  return report.packages.find((entry) => entry.name === name)?.version;
}

describe('simclr info', () => {
  it('prints devices and versions', () => {
    const result = runCli(['info'], 120_000, NO_VULKAN);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^backend: wasm$/m);
    expect(result.stdout).toMatch(/^device: SIMD, 1 thread$/m);
    expect(result.stdout).toMatch(/^ {2}@tensorflow\/tfjs-backend-webgpu 4\.22\.0 \(bundled\)$/m);
    expect(result.stdout).toMatch(/^ {2}@tensorflow\/tfjs-node-gpu: not installed$/m);
    expect(result.stdout).toMatch(/^ {2}webgpu 0\.6\.2$/m);
  });

  it('names the missing WebGPU adapter without Vulkan', () => {
    const result = runCli(['info', '--json'], 120_000, NO_VULKAN);
    const report = JSON.parse(result.stdout) as InfoReport;

    expect(result.code).toBe(0);
    expect(report.backend).toBe('wasm');
    expect(report.device).toBe('SIMD, 1 thread');
    expect(candidate(report, 'webgpu').available).toBe(false);
    expect(candidate(report, 'webgpu').reason).toMatch(
      /^no WebGPU adapter from Dawn \(webgpu 0\.6\.2\): requestAdapter\(\) returned null; Dawn found no usable Vulkan driver/,
    );
    expect(candidate(report, 'webgpu').reason).toMatch(/VK_ICD_FILENAMES=/);
    expect(result.stderr).toMatch(/Couldn't load Vulkan/);
    expect(packageVersion(report, '@tensorflow/tfjs-core')).toBe('4.22.0');
    expect(packageVersion(report, 'webgpu')).toBe('0.6.2');
  });

  it('rejects --backend webgpu without Vulkan', () => {
    const result = runCli(['info', '--backend', 'webgpu'], 120_000, NO_VULKAN);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /error: Preferred backend 'webgpu' is not available: no WebGPU adapter from Dawn/,
    );
  });
});

/**
 * A project with the CLI installed from its built bundle, next to stand-ins for a
 * broken tfjs-node-gpu and tfjs-node. The real packages are not installed here, because
 * their install script downloads libtensorflow. Each stand-in's entry throws the error
 * of a native install that cannot load: tfjs-node-gpu's names a missing CUDA runtime,
 * and tfjs-node's a missing addon file. Dawn (`webgpu`) is absent from this project.
 */
describe('simclr info installed next to broken tfjs-node packages', () => {
  let installedCli = '';

  beforeAll(() => {
    const modules = join(paths.folder, 'project', 'node_modules');
    const cliFolder = join(modules, '@simclr-ts', 'cli');
    mkdirSync(join(cliFolder, 'dist'), { recursive: true });
    copyFileSync(join(dirname(cli), '..', 'package.json'), join(cliFolder, 'package.json'));
    for (const file of ['cli.cjs', 'replica-worker.cjs']) {
      copyFileSync(join(dirname(cli), file), join(cliFolder, 'dist', file));
    }
    installedCli = join(cliFolder, 'dist', 'cli.cjs');

    mkdirSync(join(modules, '@tensorflow'), { recursive: true });
    const wasmFolder = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    symlinkSync(wasmFolder, join(modules, '@tensorflow', 'tfjs-backend-wasm'), 'dir');

    const standIns: Array<[string, string, string]> = [
      [
        'tfjs-node-gpu',
        'libcudart.so.11.0: cannot open shared object file: No such file or directory',
        'ERR_DLOPEN_FAILED',
      ],
      [
        'tfjs-node',
        'The Node.js native addon module (tfjs_binding.node) can not be found at path: ' +
          '/project/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node',
        'ERR_GENERIC',
      ],
    ];
    for (const [name, message, code] of standIns) {
      const folder = join(modules, '@tensorflow', name);
      mkdirSync(folder);
      writeFileSync(
        join(folder, 'package.json'),
        JSON.stringify({ name: `@tensorflow/${name}`, version: '4.22.0', main: 'index.js' }),
      );
      writeFileSync(
        join(folder, 'index.js'),
        `throw Object.assign(new Error(${JSON.stringify(message)}), { code: '${code}' });\n`,
      );
    }
  });

  it('reports the loader messages with the CUDA hint', () => {
    const result = runCli(['info', '--json'], 120_000, NO_VULKAN, installedCli);
    const report = JSON.parse(result.stdout) as InfoReport;

    expect(result.code).toBe(0);
    expect(report.backend).toBe('wasm');
    expect(candidate(report, 'tensorflow')).toEqual({
      name: 'tensorflow',
      available: false,
      reason:
        '@tensorflow/tfjs-node-gpu failed to load: libcudart.so.11.0: cannot open shared object ' +
        'file: No such file or directory (tfjs-node-gpu 4.x needs an NVIDIA driver, CUDA 11.2 ' +
        'and cuDNN 8.1 on the library path); @tensorflow/tfjs-node failed to load: The Node.js ' +
        'native addon module (tfjs_binding.node) can not be found at path: ' +
        '/project/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node',
    });
    expect(packageVersion(report, '@tensorflow/tfjs-node-gpu')).toBe('4.22.0');
    expect(packageVersion(report, '@tensorflow/tfjs-node')).toBe('4.22.0');
  });

  it('reports Dawn as not installed', () => {
    const result = runCli(['info', '--json'], 120_000, NO_VULKAN, installedCli);
    const report = JSON.parse(result.stdout) as InfoReport;

    expect(candidate(report, 'webgpu')).toEqual({
      name: 'webgpu',
      available: false,
      reason:
        "Dawn is not installed: the optional dependency 'webgpu' is missing; install it with npm install webgpu",
    });
    expect(packageVersion(report, 'webgpu')).toBeNull();
  });

  it('rejects --backend tensorflow with the reason', () => {
    const result = runCli(
      ['pretrain', '--backend', 'tensorflow'],
      120_000,
      NO_VULKAN,
      installedCli,
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /error: Preferred backend 'tensorflow' is not available: @tensorflow\/tfjs-node-gpu failed to load: libcudart\.so\.11\.0/,
    );
  });
});
