import type { DownloadProgress, ProgressCallback } from './types.js';

/** Milliseconds between two progress reports, apart from the final one. */
const REPORT_INTERVAL_MS = 200;

/** Accumulates received bytes and reports rate and ETA to a callback at a limited frequency. */
export class ProgressMeter {
  private receivedBytes = 0;
  private lastReportMs = -Infinity;
  private readonly startMs: number;

  constructor(
    private readonly onProgress: ProgressCallback | undefined,
    readonly totalBytes: number | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.startMs = now();
  }

  /** Bytes received so far. */
  get received(): number {
    return this.receivedBytes;
  }

  /** Counts `bytes` more and reports if the last report is older than 200 ms. */
  add(bytes: number): void {
    this.receivedBytes += bytes;
    if (this.now() - this.lastReportMs >= REPORT_INTERVAL_MS) {
      this.report();
    }
  }

  /** Reports the current state unconditionally. Call it once when the transfer ends. */
  report(): void {
    const nowMs = this.now();
    this.lastReportMs = nowMs;
    this.onProgress?.(this.snapshot(nowMs));
  }

  private snapshot(nowMs: number): DownloadProgress {
    // Clamp to 1 ms so that a report right at the start does not divide by zero.
    const elapsedSeconds = Math.max(nowMs - this.startMs, 1) / 1000;
    const bytesPerSecond = this.receivedBytes / elapsedSeconds;
    const progress: DownloadProgress = { receivedBytes: this.receivedBytes, bytesPerSecond };

    if (this.totalBytes !== undefined) {
      progress.totalBytes = this.totalBytes;
      if (bytesPerSecond > 0) {
        progress.etaSeconds = Math.max(this.totalBytes - this.receivedBytes, 0) / bytesPerSecond;
      }
    }
    return progress;
  }
}
