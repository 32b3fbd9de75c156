import { describe, expect, it } from 'vitest';
import { RECORD_BYTES, parsePickedFile } from '../src/cifar-batch';

/** Builds a batch whose pixel bytes encode (record, channel, pixel), so the layout can be checked. */
function batch(count: number): Uint8Array {
  const bytes = new Uint8Array(count * RECORD_BYTES);
  for (let record = 0; record < count; record++) {
    bytes[record * RECORD_BYTES] = record % 10;
    for (let channel = 0; channel < 3; channel++) {
      for (let pixel = 0; pixel < 1024; pixel++) {
        bytes[record * RECORD_BYTES + 1 + channel * 1024 + pixel] =
          (record + channel * 50 + pixel) % 256;
      }
    }
  }
  return bytes;
}

describe('parsePickedFile', () => {
  it('splits 80% to train and the rest to test', () => {
    const sample = parsePickedFile(batch(20), 'data_batch_1.bin');
    expect(sample.train.count).toBe(16);
    expect(sample.test.count).toBe(4);
    expect(Array.from(sample.train.labels)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5,
    ]);
    expect(Array.from(sample.test.labels)).toEqual([6, 7, 8, 9]);
  });

  it('reorders channel planes to NHWC', () => {
    const sample = parsePickedFile(batch(10), 'test_batch.bin');
    // Record 2, pixel 5 (row 0, column 5): red, green, blue planes at offsets 0, 1024, 2048.
    const offset = (2 * 1024 + 5) * 3;
    expect(Array.from(sample.train.images.subarray(offset, offset + 3))).toEqual([
      (2 + 5) % 256,
      (2 + 50 + 5) % 256,
      (2 + 100 + 5) % 256,
    ]);
    // Record 9 is the second test image; its last pixel is 1023.
    const last = (1 * 1024 + 1023) * 3;
    expect(Array.from(sample.test.images.subarray(last, last + 3))).toEqual([
      (9 + 1023) % 256,
      (9 + 50 + 1023) % 256,
      (9 + 100 + 1023) % 256,
    ]);
  });

  it('caps an official batch at 2,000 and 500 images', () => {
    const sample = parsePickedFile(batch(10_000), 'data_batch_1.bin');
    expect(sample.train.count).toBe(2_000);
    expect(sample.test.count).toBe(500);
  });

  it.each([
    [new Uint8Array(0), 'empty.bin is 0 bytes, which is not a multiple of 3,073'],
    [
      new Uint8Array(RECORD_BYTES * 2 + 1),
      'short.bin is 6,147 bytes, which is not a multiple of 3,073',
    ],
    [new Uint8Array(RECORD_BYTES * 2), 'two.bin contains 2 records; the demo needs at least 3'],
    [new Uint8Array([0x1f, 0x8b, 8, 0]), 'archive.tar.gz is a gzip archive. Extract it'],
  ])('rejects an invalid file (%#)', (bytes, message) => {
    const name = message.split(' ')[0]!;
    expect(() => parsePickedFile(bytes, name)).toThrow(message);
  });

  it('rejects a label above 9', () => {
    const bytes = batch(5);
    bytes[3 * RECORD_BYTES] = 42;
    expect(() => parsePickedFile(bytes, 'cifar100.bin')).toThrow(
      'cifar100.bin record 3 has label 42, expected 0 to 9',
    );
  });
});
