import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
  appendFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { decodeSafetensors, encodeSafetensors, type SafetensorsContents } from '@simclr-ts/models';
import { UsageError } from './usage-error';

/** File names inside a run folder. */
export const RUN_FILES = {
  checkpoint: 'checkpoint.safetensors',
  metrics: 'metrics.jsonl',
  config: 'config.json',
} as const;

/**
 * Writes `bytes` to `path` atomically: to a temporary file in the same
 * folder, flushed with fsync, then renamed over `path`, and the folder is
 * flushed so the rename survives a power cut. A crash leaves either the old
 * file or the new one, never a mix.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  const folder = openSync(dirname(path), 'r');
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
}

/** Writes a checkpoint into `runDir` atomically. */
export function writeCheckpoint(runDir: string, contents: SafetensorsContents): string {
  const path = join(runDir, RUN_FILES.checkpoint);
  writeFileAtomic(path, encodeSafetensors(contents));
  return path;
}

/** Reads a checkpoint file, or the checkpoint inside a run folder. */
export function readCheckpoint(path: string): SafetensorsContents {
  const file = path.endsWith('.safetensors') ? path : join(path, RUN_FILES.checkpoint);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    // A missing or unreadable file is a wrong argument, so it exits with the usage code.
    throw new UsageError(
      `Cannot read the checkpoint ${file}: ${(error as Error).message}. Pass a run folder written by 'simclr pretrain' or its checkpoint.safetensors.`,
    );
  }
  return decodeSafetensors(bytes, file);
}

/** Appends one JSON record as a line to the metrics file of `runDir`. */
export function appendMetrics(runDir: string, record: Record<string, unknown>): void {
  appendFileSync(
    join(runDir, RUN_FILES.metrics),
    `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`,
  );
}
