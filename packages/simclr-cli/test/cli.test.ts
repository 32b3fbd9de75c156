import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useCliFixture } from './cli-fixture';

const { paths, runCli } = useCliFixture('simclr-cli-test-');

describe('simclr', () => {
  it('quickstart pretrains and evaluates end to end', () => {
    const out = join(paths.folder, 'run');
    const result = runCli([
      'quickstart',
      '--data',
      paths.archive,
      '--epochs',
      '2',
      '--batch-size',
      '32',
      '--k',
      '5',
      '--out',
      out,
    ]);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/pretrained\s+\d+\.\d%\s+\d+\.\d%/);
    expect(result.stdout).toMatch(/untrained\s+\d+\.\d%\s+\d+\.\d%/);

    for (const file of [
      'checkpoint.safetensors',
      'metrics.jsonl',
      'config.json',
      'quickstart.json',
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const epochs = metrics.filter((record) => record.event === 'epoch');
    expect(epochs.map((record) => record.epoch)).toEqual([1, 2]);
    expect(metrics.filter((record) => record.event === 'step').length).toBeGreaterThan(0);
    expect(epochs.every((record) => Number.isFinite(record.meanLoss))).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'quickstart.json'), 'utf8'));
    expect(summary.pretrained.trainImages).toBe(200);
    expect(summary.pretrained.testImages).toBe(50);
  });

  it('eval reads the checkpoint that pretrain writes', () => {
    const out = join(paths.folder, 'pretrain-run');
    const pretrain = runCli([
      'pretrain',
      '--data',
      paths.archive,
      '--epochs',
      '1',
      '--batch-size',
      '50',
      '--out',
      out,
    ]);
    expect(pretrain.code).toBe(0);
    const evaluation = runCli(['eval', out, '--data', paths.archive, '--k', '5']);
    expect(evaluation.stderr).not.toMatch(/error/i);
    expect(evaluation.code).toBe(0);
    expect(evaluation.stdout).toMatch(/linear probe top-1: \d+\.\d%/);
    expect(evaluation.stdout).toMatch(/kNN \(k=5\) top-1: \d+\.\d%/);
  });

  it('stops on SIGINT with a checkpoint and exit code 130', async () => {
    const out = join(paths.folder, 'interrupted');
    const child = spawn(
      process.execPath,
      [
        cli,
        'pretrain',
        '--data',
        paths.archive,
        '--epochs',
        '50',
        '--batch-size',
        '8',
        '--out',
        out,
      ],
      { env: { ...process.env, SIMCLR_CACHE_DIR: join(paths.folder, 'cache') } },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // The first progress line means training has started.
      if (stderr.includes('pretrain ') && !child.killed) {
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(/checkpoint written to .*checkpoint\.safetensors/);
    expect(existsSync(join(out, 'checkpoint.safetensors'))).toBe(true);
  });

  it('benchmark writes its table and JSON', () => {
    const out = join(paths.folder, 'bench.json');
    const result = runCli([
      'benchmark',
      '--runs',
      '1',
      '--no-torch',
      '--steps',
      'small:4',
      '--data',
      paths.archive,
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/small batch 4 +\d+/);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.steps).toHaveLength(1);
    expect(report.steps[0].imagesPerSecond).toBeGreaterThan(0);
    expect(report.ntXent.map((entry: { n: number }) => entry.n)).toEqual([256, 1024]);
    expect(report.parse.trainImages).toBe(200);
  });

  it('benchmark rejects a malformed step case', () => {
    const result = runCli(['benchmark', '--steps', 'small:one']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/'small:one' is not ENCODER:BATCH/);
  });

  it('info names the chosen backend and why others were skipped', () => {
    const result = runCli(['info']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/backend: wasm/);
    expect(result.stdout).toMatch(/tensorflow: not installed/);
  });

  it.each([
    [['pretrain', '--epochs', '0'], /'0' is not an integer of at least 1/],
    [['pretrain', '--batch-size', 'many'], /'many' is not an integer of at least 2/],
    [['pretrain', '--encoder', 'vgg'], /'vgg' is not one of resnet18, small/],
    [['pretrain', '--backend', 'tpu'], /'tpu' is not one of tensorflow, webgpu, wasm, cpu/],
    [['pretrain', '--unknown'], /unknown option '--unknown'/],
  ])('rejects %j with exit code 2', (args, message) => {
    const result = runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('rejects a run paths.folder that contains a checkpoint', () => {
    const out = join(paths.folder, 'reused-run');
    const args = [
      'pretrain',
      '--data',
      paths.archive,
      '--epochs',
      '1',
      '--batch-size',
      '100',
      '--out',
      out,
    ];
    expect(runCli(args).code).toBe(0);
    const result = runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/already contains a checkpoint: continue it with --resume/);
  });

  it('rejects a batch larger than the subset before writing', () => {
    const out = join(paths.folder, 'too-big');
    const result = runCli([
      'pretrain',
      '--data',
      paths.archive,
      '--subset',
      '20',
      '--batch-size',
      '32',
      '--out',
      out,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Invalid --batch-size 32: it exceeds the 20 training images/);
    expect(existsSync(out)).toBe(false);
  });

  it('reports missing data with exit code 1', () => {
    const missing = join(paths.folder, 'nothing-here.tar.gz');
    const result = runCli(['pretrain', '--data', missing, '--epochs', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(missing);
  });

  it('eval without a checkpoint explains both choices', () => {
    const result = runCli(['eval', '--data', paths.archive]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/either a checkpoint or --untrained/);
  });
});
