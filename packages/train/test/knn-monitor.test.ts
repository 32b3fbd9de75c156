import { createResNetEncoder } from '@simclr-ts/models';
import { describe, expect, it } from 'vitest';
import { createKnnMonitor } from '../src/index';
import { stripedDataset } from './synthetic';

describe('createKnnMonitor', () => {
  const encoder = createResNetEncoder(
    { stemWidth: 8, widths: [8, 16], blocks: [1, 1] },
    { seed: 1 },
  );
  const withLabels = (dataset: ReturnType<typeof stripedDataset>) =>
    dataset as typeof dataset & { labels: Uint8Array };
  const bank = withLabels(stripedDataset(40, 12, 4, 1));
  const queries = withLabels(stripedDataset(20, 12, 4, 2));

  it('measures on every interval and after the last epoch', async () => {
    const monitor = createKnnMonitor(encoder, { bank, queries, every: 2, k: 5 });
    expect(await monitor(1, 5)).toBeUndefined();
    const second = await monitor(2, 5);
    expect(second?.epoch).toBe(2);
    expect(second!.accuracy).toBeGreaterThanOrEqual(0);
    expect(second!.accuracy).toBeLessThanOrEqual(1);
    expect(await monitor(3, 5)).toBeUndefined();
    expect((await monitor(5, 5))?.epoch).toBe(5);
  });

  it('matches the striped classes better than chance', async () => {
    // Each class has its own colour and stripes, which even a random encoder separates.
    const monitor = createKnnMonitor(encoder, { bank, queries, k: 5 });
    expect((await monitor(1, 1))!.accuracy).toBeGreaterThan(0.5);
  });

  it('rejects a fractional interval', () => {
    expect(() => createKnnMonitor(encoder, { bank, queries, every: 1.5 })).toThrow(/interval 1.5/);
  });
});
