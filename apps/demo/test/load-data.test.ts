import { describe, expect, it } from 'vitest';
import { describeData, type LoadedData } from '../src/load-data';
import { labelledImages, IMAGE_BYTES } from '../src/sample-format';

function loaded(trainCount: number, testCount: number): LoadedData {
  const split = (count: number) =>
    labelledImages(new Uint8Array(count * IMAGE_BYTES), new Uint8Array(count));
  return {
    origin: 'built-in CIFAR-10 sample',
    sample: { train: split(trainCount), test: split(testCount) },
  };
}

describe('describeData', () => {
  it('counts every image without limits', () => {
    expect(describeData(loaded(2000, 500), undefined, undefined)).toBe(
      'built-in CIFAR-10 sample, 2,000 training images (the kNN bank) and 500 kNN queries',
    );
  });

  it('shows the limits in use', () => {
    expect(describeData(loaded(2000, 500), 500, 100)).toBe(
      'built-in CIFAR-10 sample, using 500 of 2,000 training images (the kNN bank) ' +
        'and 100 of 500 kNN queries',
    );
  });

  it('ignores limits above the counts', () => {
    expect(describeData(loaded(40, 10), 40, 20)).toBe(
      'built-in CIFAR-10 sample, 40 training images (the kNN bank) and 10 kNN queries',
    );
  });

  it('shows one limit in use', () => {
    expect(describeData(loaded(40, 10), undefined, 5)).toBe(
      'built-in CIFAR-10 sample, using 40 training images (the kNN bank) and 5 of 10 kNN queries',
    );
  });
});
