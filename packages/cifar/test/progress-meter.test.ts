import { describe, expect, it } from 'vitest';
import { ProgressMeter } from '../src/progress-meter.js';
import type { DownloadProgress } from '../src/index.js';

describe('ProgressMeter', () => {
  it('reports rate and ETA at most every 200 ms', () => {
    let nowMs = 1_000;
    const reports: DownloadProgress[] = [];
    const meter = new ProgressMeter(
      (p) => reports.push(p),
      1_000,
      () => nowMs,
    );

    nowMs = 1_500;
    meter.add(100);
    nowMs = 1_600;
    meter.add(100);
    nowMs = 2_000;
    meter.add(300);
    meter.report();

    expect(reports).toEqual([
      { receivedBytes: 100, totalBytes: 1_000, bytesPerSecond: 200, etaSeconds: 4.5 },
      { receivedBytes: 500, totalBytes: 1_000, bytesPerSecond: 500, etaSeconds: 1 },
      { receivedBytes: 500, totalBytes: 1_000, bytesPerSecond: 500, etaSeconds: 1 },
    ]);
  });

  it('omits total and ETA without a Content-Length', () => {
    let nowMs = 0;
    const reports: DownloadProgress[] = [];
    const meter = new ProgressMeter(
      (p) => reports.push(p),
      undefined,
      () => nowMs,
    );

    nowMs = 2_000;
    meter.add(4_000);

    expect(reports).toEqual([{ receivedBytes: 4_000, bytesPerSecond: 2_000 }]);
  });
});
