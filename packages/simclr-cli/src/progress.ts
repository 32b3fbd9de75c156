import { SingleBar } from 'cli-progress';
import { formatDuration } from './format';

/** State shown by a progress display after each unit of work. */
export interface ProgressState {
  done: number;
  total: number;
  /** Short text after the counts, such as the loss. */
  detail: string;
  /** Items per second. */
  rate: number;
  etaSeconds: number;
}

/** A progress display: a bar on a terminal, plain lines every few seconds elsewhere. */
export interface ProgressDisplay {
  update(state: ProgressState): void;
  stop(): void;
}

/** Creates a progress display titled `label` that writes to `stream`. */
export function createProgress(
  label: string,
  unit: string,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressDisplay {
  if (stream.isTTY) {
    const bar = new SingleBar({
      format: `${label} [{bar}] {value}/{total} | {detail} | {rate} ${unit}/s | ETA {eta_text}`,
      barsize: 24,
      hideCursor: true,
      stream,
      etaBuffer: 20,
    });
    let started = false;
    return {
      update(state) {
        const payload = {
          detail: state.detail,
          rate: formatRate(state.rate),
          eta_text: formatDuration(state.etaSeconds),
        };
        if (!started) {
          bar.start(state.total, state.done, payload);
          started = true;
        } else {
          bar.update(state.done, payload);
        }
      },
      stop() {
        if (started) {
          bar.stop();
        }
      },
    };
  }

  let lastPrinted = 0;
  return {
    update(state) {
      const now = Date.now();
      if (now - lastPrinted < 10_000 && state.done !== state.total) {
        return;
      }
      lastPrinted = now;
      stream.write(
        `${label} ${state.done}/${state.total} | ${state.detail} | ${formatRate(state.rate)} ${unit}/s | ETA ${formatDuration(state.etaSeconds)}\n`,
      );
    },
    stop() {},
  };
}

/**
 * Formats a rate with whole numbers from 10 up and two significant digits below, so a
 * slow backend shows 0.21 rather than 0.
 */
export function formatRate(rate: number): string {
  if (Number.isFinite(rate) && rate > 0 && rate < 10) {
    return rate.toPrecision(2);
  }
  return rate.toFixed(0);
}
