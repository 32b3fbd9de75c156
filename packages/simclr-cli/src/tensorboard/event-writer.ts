import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { maskedCrc32c } from './crc32c';

/**
 * Writes TensorBoard event files: TFRecord framing (length, masked CRC-32C of the length,
 * data, masked CRC-32C of the data) around serialised `tensorflow.Event` protocol buffers
 * with scalar summaries, so that `tensorboard --logdir RUN_DIR` plots them. The encoding
 * is written here from the field numbers of TensorFlow's `event.proto` and
 * `summary.proto`: Event { wall_time = 1 (double), step = 2 (int64), file_version = 3,
 * summary = 5 }, Summary { value = 1 }, Summary.Value { tag = 1, simple_value = 2 (float) }.
 */
export class EventWriter {
  readonly path: string;
  private readonly fd: number;

  /** Creates `events.out.tfevents.<seconds>.<host>` in `folder` and writes the version record. */
  constructor(folder: string, now = Date.now()) {
    this.path = join(folder, `events.out.tfevents.${Math.floor(now / 1000)}.${hostname()}`);
    this.fd = openSync(this.path, 'a');
    this.writeEvent(encodeEvent({ wallTime: now / 1000, step: 0, fileVersion: 'brain.Event:2' }));
  }

  /** Records `value` under `tag` (e.g. 'train/loss') at `step`. */
  scalar(tag: string, value: number, step: number, now = Date.now()): void {
    this.writeEvent(encodeEvent({ wallTime: now / 1000, step, scalar: { tag, value } }));
  }

  /** Forces the records written so far to disk. */
  flush(): void {
    fsyncSync(this.fd);
  }

  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  private writeEvent(event: Uint8Array): void {
    const length = new Uint8Array(8);
    new DataView(length.buffer).setBigUint64(0, BigInt(event.length), true);
    const record = new Uint8Array(8 + 4 + event.length + 4);
    const view = new DataView(record.buffer);
    record.set(length, 0);
    view.setUint32(8, maskedCrc32c(length), true);
    record.set(event, 12);
    view.setUint32(12 + event.length, maskedCrc32c(event), true);
    writeSync(this.fd, record);
  }
}

/** One event: the file version, or a scalar. */
interface EventFields {
  wallTime: number;
  step: number;
  fileVersion?: string;
  scalar?: { tag: string; value: number };
}

/** Serialises a `tensorflow.Event` with protocol buffer wire types 0, 1, 2 and 5. */
export function encodeEvent(event: EventFields): Uint8Array {
  const bytes: number[] = [];
  bytes.push(0x09, ...float64Bytes(event.wallTime)); // field 1, wire type 1 (64-bit)
  bytes.push(0x10, ...varint(event.step)); // field 2, wire type 0 (varint)
  if (event.fileVersion !== undefined) {
    bytes.push(0x1a, ...lengthDelimited(new TextEncoder().encode(event.fileVersion))); // field 3
  }
  if (event.scalar !== undefined) {
    const tag = new TextEncoder().encode(event.scalar.tag);
    const value = [0x0a, ...lengthDelimited(tag), 0x15, ...float32Bytes(event.scalar.value)];
    const summary = [0x0a, ...lengthDelimited(Uint8Array.from(value))]; // Summary.value = 1
    bytes.push(0x2a, ...lengthDelimited(Uint8Array.from(summary))); // Event.summary = 5
  }
  return Uint8Array.from(bytes);
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = BigInt(Math.trunc(value));
  if (rest < 0n) {
    rest += 1n << 64n;
  }
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest > 0n ? low | 0x80 : low);
  } while (rest > 0n);
  return bytes;
}

function lengthDelimited(payload: Uint8Array): number[] {
  return [...varint(payload.length), ...payload];
}

function float64Bytes(value: number): number[] {
  const buffer = new DataView(new ArrayBuffer(8));
  buffer.setFloat64(0, value, true);
  return Array.from(new Uint8Array(buffer.buffer));
}

function float32Bytes(value: number): number[] {
  const buffer = new DataView(new ArrayBuffer(4));
  buffer.setFloat32(0, value, true);
  return Array.from(new Uint8Array(buffer.buffer));
}
