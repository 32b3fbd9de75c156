import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { lineChart, niceTicks } from '../src/report/line-chart';
import { useCliFixture } from './cli-fixture';

const { paths, runCli } = useCliFixture('simclr-report-test-');

describe('simclr report', () => {
  it('writes plots, the preview and the probe results', () => {
    const runDir = join(paths.folder, 'run');
    const pretrain = runCli([
      'pretrain',
      '--data',
      paths.archive,
      '--subset',
      '32',
      '--batch-size',
      '8',
      '--epochs',
      '2',
      '--knn-every',
      '1',
      '--workers',
      '1',
      '--out',
      runDir,
    ]);
    expect(pretrain.code).toBe(0);

    const report = runCli([
      'report',
      runDir,
      '--data',
      paths.archive,
      '--k',
      '5',
      '--probe-epochs',
      '20',
    ]);
    expect(report.code).toBe(0);
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');

    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('NT-Xent loss');
    expect(html).toContain('kNN monitor: test accuracy');
    expect(html).toMatch(/Linear probe top-1 accuracy: <b>\d+\.\d%<\/b>/);
    // Ten classes: a header row and one row per true class.
    const confusion = html.slice(html.indexOf('<table class="confusion">'));
    expect(confusion.slice(0, confusion.indexOf('</table>')).match(/<tr>/g)).toHaveLength(11);

    const png = /data:image\/png;base64,([A-Za-z0-9+/=]+)/.exec(html)![1]!;
    const preview = PNG.sync.read(Buffer.from(png, 'base64'));
    // Six rows of a 32-pixel image at scale 3 with gaps of 6 pixels.
    expect(preview.height).toBe(6 + 6 * (96 + 6));
  });

  it('reuses the evaluation while checkpoint and options are unchanged', () => {
    const runDir = join(paths.folder, 'run');
    const evaluation = join(runDir, 'evaluation.json');
    const flags = ['--data', paths.archive, '--k', '5', '--probe-epochs', '20'];
    const before = statSync(evaluation).mtimeMs;
    expect(runCli(['report', runDir, ...flags]).code).toBe(0);
    expect(statSync(evaluation).mtimeMs).toBe(before);

    expect(runCli(['report', runDir, ...flags, '--k', '3']).code).toBe(0);
    expect(statSync(evaluation).mtimeMs).toBeGreaterThan(before);
  });

  it('rejects a paths.folder without a configuration', () => {
    const result = runCli(['report', join(paths.folder, 'missing'), '--data', paths.archive]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Cannot read .*config\.json/);
  });
});

describe('lineChart', () => {
  it.each([
    [0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [3.7, 5.2, [3.5, 4, 4.5, 5, 5.5]],
    [0, 12_000, [0, 2500, 5000, 7500, 10_000, 12_500]],
  ])('ticks %d to %d', (min, max, expected) => {
    expect(niceTicks(min, max)).toEqual(expected);
  });

  it('escapes titles and draws one line per series', () => {
    const svg = lineChart({
      title: 'a < b',
      xLabel: 'x',
      yLabel: 'y',
      series: [
        {
          name: 'one',
          points: [
            [0, 1],
            [1, 2],
          ],
        },
        {
          name: 'two',
          points: [
            [0, 2],
            [1, Number.NaN],
            [2, 3],
          ],
        },
      ],
    });
    expect(svg).toContain('a &lt; b');
    expect(svg.match(/<polyline /g)).toHaveLength(2);
  });

  it('says so when there is no data', () => {
    expect(lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [] })).toContain('no data');
  });
});
