import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliFixture } from './cli-fixture';

const { paths, runCli, runCliAsync } = useCliFixture('simclr-webgpu-');

/**
 * SwiftShader's Vulkan driver from Debian's chromium package. With it Dawn finds a
 * software adapter on a machine without a GPU; CI installs chromium, so it exists there.
 */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const SWIFTSHADER = {
  VK_ICD_FILENAMES: SWIFTSHADER_ICD,
  LD_LIBRARY_PATH: '/usr/lib/chromium',
};
const hasSwiftShader = existsSync(SWIFTSHADER_ICD);

/** Losses of the steps that a run folder's metrics.jsonl records. */
function stepLosses(runDir: string): number[] {
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { event: string; loss?: number })
    .filter((entry) => entry.event === 'step')
    .map((entry) => entry.loss!);
}

describe.skipIf(!hasSwiftShader)(`webgpu through Dawn on SwiftShader (${SWIFTSHADER_ICD})`, () => {
  it('info reports the adapter but keeps wasm', () => {
    const result = runCli(['info', '--json'], 120_000, SWIFTSHADER);
    const report = JSON.parse(result.stdout) as {
      backend: string;
      candidates: Array<{ name: string; available: boolean; reason: string }>;
    };
    const webgpu = report.candidates.find((entry) => entry.name === 'webgpu')!;

    expect(result.code).toBe(0);
    expect(report.backend).toBe('wasm');
    expect(webgpu.available).toBe(true);
    expect(webgpu.reason).toMatch(
      /^adapter google swiftshader \(SwiftShader driver [\d.]+\), a software adapter, through Dawn \(webgpu 0\.6\.2\); not chosen automatically/,
    );
  });

  it('info --backend webgpu chooses it', () => {
    const result = runCli(['info', '--backend', 'webgpu'], 120_000, SWIFTSHADER);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^backend: webgpu$/m);
    expect(result.stdout).toMatch(
      /^device: adapter google swiftshader \(SwiftShader driver [\d.]+\), a software adapter, through Dawn \(webgpu 0\.6\.2\)$/m,
    );
  });

  // SwiftShader runs WebGPU on the CPU: two steps of batch 4 took 50 to 80 s on 2 cores.
  it('pretrains with the losses of wasm', async () => {
    const run = async (backend: string, extra: string[]) => {
      const runDir = join(paths.folder, `run-${backend}`);
      const result = await runCliAsync(
        [
          'pretrain',
          '--backend',
          backend,
          '--data',
          paths.archive,
          '--subset',
          '12',
          '--batch-size',
          '4',
          '--epochs',
          '1',
          '--knn-every',
          '0',
          '--max-steps',
          '2',
          '--out',
          runDir,
          ...extra,
        ],
        300_000,
        SWIFTSHADER,
      );
      return { ...result, losses: stepLosses(runDir) };
    };

    const webgpu = await run('webgpu', ['--workers', '2']);
    const wasm = await run('wasm', ['--workers', '1']);

    expect(webgpu.stderr).toMatch(/^backend: webgpu$/m);
    // --max-steps stops inside the 3-step epoch: exit code 0, and a resume hint that
    // names the backend, which is never chosen automatically.
    expect(webgpu.code).toBe(0);
    expect(webgpu.stderr).toMatch(/continue with: simclr pretrain --resume \S+ --backend webgpu /);
    expect(wasm.stderr).toMatch(
      /continue with: simclr pretrain --resume \S+ \(and the same --data\)/,
    );
    expect(webgpu.stderr).toMatch(/--workers 2 ignored; the webgpu backend trains on one thread/);
    expect(webgpu.losses).toHaveLength(2);
    expect(wasm.losses).toHaveLength(2);
    for (const [step, loss] of webgpu.losses.entries()) {
      expect(Number.isFinite(loss)).toBe(true);
      // Float32 sums in another order: the two backends agreed within 2e-6 relative here.
      expect(Math.abs(loss - wasm.losses[step]!)).toBeLessThan(1e-4 * Math.abs(loss));
    }
  });
});
