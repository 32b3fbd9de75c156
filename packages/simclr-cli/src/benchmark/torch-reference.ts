import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveResNetConfig, type EncoderPreset } from '@simclr-ts/models';

/** Timing of the PyTorch reference step. */
export interface TorchTiming {
  threads: number;
  batchSize: number;
  stepMs: number;
  imagesPerSecond: number;
  torch: string;
}

/** Result of the PyTorch reference step, or why it did not run. */
export type TorchResult =
  ({ available: true } & TorchTiming) | { available: false; reason: string };

/**
 * Times the same model step in PyTorch with `threads` threads when a
 * `python3` can import torch (Debian's python3-torch, for example). It is a
 * reference for the ratio only, never a dependency.
 */
export function runTorchReference(
  encoder: EncoderPreset,
  batchSize: number,
  threads: number,
  runs: number,
): TorchResult {
  // The script ships beside the bundle, in the package's bench folder.
  const script = join(__dirname, '..', 'bench', 'torch_reference.py');
  if (!existsSync(script)) {
    return { available: false, reason: `reference script missing at ${script}` };
  }
  const config = resolveResNetConfig(encoder);
  // NOTE: the reference script builds basic blocks with the CIFAR stem only.
  if (config.block !== 'basic' || config.stem !== 'cifar') {
    return {
      available: false,
      reason: `the PyTorch reference builds basic blocks with the CIFAR stem, not ${config.block} blocks with the ${config.stem} stem of ${encoder}`,
    };
  }
  const args = [
    script,
    String(config.stemWidth),
    config.widths.join(','),
    config.blocks.join(','),
    String(batchSize),
    String(threads),
    String(runs),
  ];

  // The first python3 on PATH may be a separate installation without torch;
  // Debian's python3-torch installs for /usr/bin/python3.
  let failure = 'no python3 found';
  for (const python of [process.env.SIMCLR_PYTHON ?? 'python3', '/usr/bin/python3']) {
    const result = spawnSync(python, args, { encoding: 'utf8', timeout: 600_000 });
    if (result.error === undefined && result.status === 0) {
      return { available: true, ...(JSON.parse(result.stdout) as TorchTiming) };
    }
    failure = result.error?.message ?? result.stderr.trim().split('\n').pop() ?? 'no output';
  }
  return { available: false, reason: `python3 with torch failed: ${failure}` };
}
