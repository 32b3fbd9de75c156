import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { ProgressMeter } from './progress-meter.js';
import type { ProgressCallback } from './types.js';

/** Options of {@link fetchToFile}. */
export interface FetchToFileOptions {
  /** Receives progress while the body streams in. */
  onProgress?: ProgressCallback;
  /** Aborts when no bytes arrive for this many milliseconds. */
  stallTimeoutMs: number;
}

/** Outcome of a completed transfer. */
export interface FetchedFile {
  /** md5 of the bytes written, as 32 lowercase hex digits. */
  md5: string;
  /** Bytes written. */
  bytes: number;
}

/**
 * Streams the body of a GET request for `url` into a new file at `path`, hashing it on the way,
 * and fsyncs the file before returning.
 *
 * Throws a plain `Error` describing the failure (HTTP status, network error, stall, or a body
 * shorter than its Content-Length). The caller owns `path` and deletes it on failure.
 */
export async function fetchToFile(
  url: string,
  path: string,
  options: FetchToFileOptions,
): Promise<FetchedFile> {
  const controller = new AbortController();
  const stallTimer = setTimeout(() => {
    controller.abort(new Error(`no data received for ${options.stallTimeoutMs / 1000} s`));
  }, options.stallTimeoutMs);
  let meter: ProgressMeter | undefined;

  try {
    // Ask for identity encoding, because fetch would otherwise decode a gzip Content-Encoding
    // and the md5 would no longer match the archive.
    const response = await fetch(url, {
      headers: { 'accept-encoding': 'identity' },
      signal: controller.signal,
    });
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
    }

    const lengthHeader = response.headers.get('content-length');
    const totalBytes = lengthHeader === null ? undefined : Number(lengthHeader);
    meter = new ProgressMeter(options.onProgress, totalBytes);
    const hash = createHash('md5');

    const file = await open(path, 'wx');
    try {
      const reader = response.body.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        const chunk = next.value;
        stallTimer.refresh();
        hash.update(chunk);
        await file.write(chunk);
        meter.add(chunk.byteLength);
      }
      meter.report();

      // Node's fetch (undici) already raises on a short body, so this guards other fetch implementations.
      if (totalBytes !== undefined && meter.received !== totalBytes) {
        throw new Error('connection closed early');
      }
      await file.sync();
    } finally {
      await file.close();
    }
    return { md5: hash.digest('hex'), bytes: meter.received };
  } catch (error) {
    // An abort surfaces as a generic AbortError, so report the reason that was given instead.
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
    const position = meter === undefined ? '' : ` after ${describeReceived(meter)}`;
    throw new Error(`${describeError(reason)}${position}`, { cause: reason });
  } finally {
    clearTimeout(stallTimer);
    // Releases the connection when the transfer ended early, for example on a failed write.
    controller.abort();
  }
}

/** Joins an error's message with that of its cause, because fetch puts the socket error in `cause`. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && cause !== error.message ? `${error.message} (${cause})` : error.message;
}

function describeReceived(meter: ProgressMeter): string {
  const total = meter.totalBytes === undefined ? '' : ` of ${meter.totalBytes}`;
  return `${meter.received}${total} bytes`;
}
