import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32c, maskedCrc32c } from '../src/tensorboard/crc32c';
import { EventWriter } from '../src/tensorboard/event-writer';

const folder = mkdtempSync(join(tmpdir(), 'simclr-tensorboard-test-'));

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** Splits a TFRecord file into its records, checking both CRCs of each. */
function readRecords(bytes: Buffer): Uint8Array[] {
  const records: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const length = Number(bytes.readBigUInt64LE(offset));
    expect(bytes.readUInt32LE(offset + 8)).toBe(maskedCrc32c(bytes.subarray(offset, offset + 8)));
    const data = bytes.subarray(offset + 12, offset + 12 + length);
    expect(bytes.readUInt32LE(offset + 12 + length)).toBe(maskedCrc32c(data));
    records.push(data);
    offset += 16 + length;
  }
  return records;
}

/** Decodes protocol buffer fields into number → values (varints, doubles, floats, bytes). */
function decodeFields(bytes: Uint8Array): Map<number, Array<number | bigint | Uint8Array>> {
  const fields = new Map<number, Array<number | bigint | Uint8Array>>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  const readVarint = () => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = bytes[offset++]!;
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if ((byte & 0x80) === 0) {
        return result;
      }
    }
  };
  while (offset < bytes.length) {
    const key = Number(readVarint());
    const [field, wire] = [key >> 3, key & 7];
    let value: number | bigint | Uint8Array;
    if (wire === 0) {
      value = readVarint();
    } else if (wire === 1) {
      value = view.getFloat64(offset, true);
      offset += 8;
    } else if (wire === 5) {
      value = view.getFloat32(offset, true);
      offset += 4;
    } else if (wire === 2) {
      const length = Number(readVarint());
      value = bytes.subarray(offset, offset + length);
      offset += length;
    } else {
      throw new Error(`unexpected wire type ${wire}`);
    }
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

describe('crc32c', () => {
  it('matches the RFC 3720 check value', () => {
    // The CRC-32C of the ASCII digits 1 to 9 is 0xE3069283 (RFC 3720, Appendix B.4).
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });
});

describe('EventWriter', () => {
  it('writes a version record and scalars that read back', () => {
    const writer = new EventWriter(folder, 1_700_000_000_000);
    writer.scalar('train/loss', 5.25, 3, 1_700_000_001_000);
    writer.scalar('knn/accuracy', 0.4375, 300);
    writer.close();

    const records = readRecords(readFileSync(writer.path));
    expect(records).toHaveLength(3);

    const version = decodeFields(records[0]!);
    expect(version.get(1)).toEqual([1_700_000_000]);
    expect(new TextDecoder().decode(version.get(3)![0] as Uint8Array)).toBe('brain.Event:2');

    const loss = decodeFields(records[1]!);
    expect(loss.get(1)).toEqual([1_700_000_001]);
    expect(loss.get(2)).toEqual([3n]);
    const value = decodeFields(
      decodeFields(loss.get(5)![0] as Uint8Array).get(1)![0] as Uint8Array,
    );
    expect(new TextDecoder().decode(value.get(1)![0] as Uint8Array)).toBe('train/loss');
    expect(value.get(2)).toEqual([5.25]);

    const knn = decodeFields(records[2]!);
    expect(knn.get(2)).toEqual([300n]);
  });
});
