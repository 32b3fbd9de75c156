import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliFixture } from './cli-fixture';

/** Losses of the step records in a run folder's metrics, in order. */
function stepLosses(runDir: string): number[] {
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { event: string; loss: number })
    .filter((record) => record.event === 'step')
    .map((record) => record.loss);
}

// 48 images in batches of 8 give 6 steps an epoch, 12 in all.
const SMALL_RUN = ['--subset', '48', '--batch-size', '8', '--epochs', '2', '--workers', '1'];

const { paths, runCli } = useCliFixture('simclr-resume-test-');

describe('simclr pretrain --resume', () => {
  it('continues a stopped run with the losses of an uninterrupted one', () => {
    const straight = join(paths.folder, 'straight');
    expect(
      runCli(['pretrain', '--data', paths.archive, ...SMALL_RUN, '--out', straight]).code,
    ).toBe(0);

    const stopped = join(paths.folder, 'stopped');
    const first = runCli([
      'pretrain',
      '--data',
      paths.archive,
      ...SMALL_RUN,
      '--max-steps',
      '5',
      '--out',
      stopped,
    ]);
    // A stop that --max-steps requested is a success, unlike Ctrl-C.
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/stopped after --max-steps 5; checkpoint written/);
    expect(first.stderr).toMatch(/continue with: simclr pretrain --resume/);

    const second = runCli([
      'pretrain',
      '--data',
      paths.archive,
      '--workers',
      '1',
      '--resume',
      stopped,
    ]);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/resuming at epoch 1, step 5 \(after 5 steps\)/);

    // Epoch means count the steps before and after the stop.
    const epochMeans = (runDir: string) =>
      readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { event: string; meanLoss: number })
        .filter((record) => record.event === 'epoch')
        .map((record) => record.meanLoss);
    const expectedMeans = epochMeans(straight);
    epochMeans(stopped).forEach((mean, i) => expect(mean).toBeCloseTo(expectedMeans[i]!, 4));

    const again = runCli(['pretrain', '--data', paths.archive, '--resume', stopped]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already finished its 2 epochs; there is nothing to resume/);

    const expected = stepLosses(straight);
    const actual = stepLosses(stopped);
    expect(expected).toHaveLength(12);
    expect(actual).toHaveLength(12);
    // tfjs's Adam recomputes β^t from the step count on restore, so later losses agree
    // to rounding rather than bit for bit.
    actual.forEach((loss, i) => expect(loss, `step ${i + 1}`).toBeCloseTo(expected[i]!, 4));
  });

  it('writes TensorBoard events beside the metrics', () => {
    const runDir = join(paths.folder, 'straight');
    const events = readdirSync(runDir).filter((name) => name.startsWith('events.out.tfevents.'));
    expect(events.length).toBeGreaterThan(0);
  });

  it('rejects configuration flags with --resume', () => {
    const result = runCli([
      'pretrain',
      '--data',
      paths.archive,
      '--resume',
      join(paths.folder, 'stopped'),
      '--lr',
      '0.1',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /--resume takes the configuration from .*config\.json; drop --lr/,
    );
  });

  it('reads a YAML configuration and lets flags override it', () => {
    const file = join(paths.folder, 'run.yaml');
    writeFileSync(
      file,
      'preset: cifar10-cpu\nepochs: 1\nbatchSize: 8\nsubset: 16\ntemperature: 0.2\n',
    );
    const runDir = join(paths.folder, 'from-yaml');
    const result = runCli([
      'pretrain',
      '--data',
      paths.archive,
      '--config',
      file,
      '--temperature',
      '0.3',
      '--workers',
      '1',
      '--out',
      runDir,
    ]);
    expect(result.code).toBe(0);
    const saved = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8'));
    expect(saved).toMatchObject({
      epochs: 1,
      batchSize: 8,
      subset: 16,
      temperature: 0.3,
      optimizer: 'adamw',
    });
  });

  it.each([
    ['epochs: 0\n', /Invalid epochs 0 in .*: expected an integer from 1 up/],
    ['learningRat: 0.1\n', /Unknown field 'learningRat'/],
    ['preset: cifar100\n', /Unknown preset 'cifar100'/],
  ])('rejects the configuration %j', (text, message) => {
    const file = join(paths.folder, 'bad.yaml');
    writeFileSync(file, text);
    const result = runCli(['pretrain', '--data', paths.archive, '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
