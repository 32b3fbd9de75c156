import { describe, expect, it } from 'vitest';
import { parsePickedFile } from '../src/cifar-batch';
import {
  IMAGE_BYTES,
  SAMPLE_HEADER_BYTES,
  decodeSample,
  encodeSample,
  labelledImages,
} from '../src/sample-format';

function split(count: number, firstLabel: number) {
  const images = new Uint8Array(count * IMAGE_BYTES).map((_, i) => (i * 7 + firstLabel) % 256);
  const labels = new Uint8Array(count).map((_, i) => (firstLabel + i) % 10);
  return labelledImages(images, labels);
}

describe('sample file', () => {
  it('round-trips both splits', () => {
    const sample = { train: split(12, 3), test: split(5, 8) };
    const bytes = encodeSample(sample);
    expect(bytes.length).toBe(SAMPLE_HEADER_BYTES + 17 * (1 + IMAGE_BYTES));

    const decoded = decodeSample(bytes);
    expect(decoded.train.count).toBe(12);
    expect(decoded.test.count).toBe(5);
    expect(decoded.train.labels).toEqual(sample.train.labels);
    expect(decoded.test.labels).toEqual(sample.test.labels);
    expect(decoded.train.images).toEqual(sample.train.images);
    expect(decoded.test.images).toEqual(sample.test.images);
  });

  it('rejects a truncated file', () => {
    const bytes = encodeSample({ train: split(3, 0), test: split(2, 0) });
    expect(() => decodeSample(bytes.subarray(0, bytes.length - 1))).toThrow(
      /expected \d+ for 3 train and 2 test images/,
    );
  });

  it('rejects another version', () => {
    const bytes = encodeSample({ train: split(3, 0), test: split(2, 0) });
    bytes[8] = 9;
    expect(() => decodeSample(bytes)).toThrow('Unsupported demo sample version 9');
  });

  it('rejects a label above 9', () => {
    const bytes = encodeSample({ train: split(3, 0), test: split(2, 0) });
    bytes[SAMPLE_HEADER_BYTES + 1] = 10;
    expect(() => decodeSample(bytes)).toThrow('train image 1 has label 10');
  });

  it('is accepted as a picked file', () => {
    const bytes = encodeSample({ train: split(4, 0), test: split(2, 0) });
    expect(parsePickedFile(bytes, 'cifar-sample.bin').train.count).toBe(4);
  });
});
