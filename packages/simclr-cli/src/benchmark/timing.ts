/** Median of `values`; the mean of the two middle values for an even count. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs `body` `warmup` times untimed, then `runs` times, and returns the milliseconds of each timed run. */
export async function timeRuns(
  warmup: number,
  runs: number,
  body: () => Promise<void>,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) {
    await body();
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await body();
    times.push(performance.now() - started);
  }
  return times;
}

/** Peak resident memory of this process in bytes (Linux `VmHWM`), or undefined elsewhere. */
export async function peakResidentBytes(): Promise<number | undefined> {
  try {
    const { readFileSync } = await import('node:fs');
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
