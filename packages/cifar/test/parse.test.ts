import { appendFile, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CifarDataError, parseCifar10Folder } from '../src/index.js';
import type { CifarSplit } from '../src/index.js';
import {
  CLASS_NAMES,
  DEFAULT_RECORDS,
  fixtureLabel,
  fixturePixel,
  writeCifarFolder,
} from './cifar-fixture.js';
import { useTempFolders } from './temp-folder.js';

const makeTempFolder = useTempFolders();

/** Returns the number of values of `split` that differ from the fixture formulas for files `files`. */
function countMismatches(split: CifarSplit, files: number[]): number {
  let mismatches = 0;
  let image = 0;
  for (const file of files) {
    for (let record = 0; record < DEFAULT_RECORDS[file]!; record++, image++) {
      if (split.labels[image] !== fixtureLabel(file, record)) mismatches++;
      for (let row = 0; row < 32; row++) {
        for (let column = 0; column < 32; column++) {
          for (let channel = 0; channel < 3; channel++) {
            const index = ((image * 32 + row) * 32 + column) * 3 + channel;
            if (split.images[index] !== fixturePixel(file, record, channel, row, column))
              mismatches++;
          }
        }
      }
    }
  }
  return mismatches;
}

describe('parseCifar10Folder', () => {
  it('decodes labels and pixels into NHWC', async () => {
    const root = await makeTempFolder();
    await writeCifarFolder(root);

    const dataset = await parseCifar10Folder(root);

    const trainCount = DEFAULT_RECORDS.slice(0, 5).reduce((a, b) => a + b, 0);
    expect(dataset.classNames).toEqual(CLASS_NAMES);
    expect(dataset.train.count).toBe(trainCount);
    expect(dataset.train.images.length).toBe(trainCount * 32 * 32 * 3);
    expect(dataset.train.labels.length).toBe(trainCount);
    expect(dataset.test.count).toBe(DEFAULT_RECORDS[5]);
    expect([dataset.train.height, dataset.train.width, dataset.train.channels]).toEqual([
      32, 32, 3,
    ]);
    expect(countMismatches(dataset.train, [0, 1, 2, 3, 4])).toBe(0);
    expect(countMismatches(dataset.test, [5])).toBe(0);
  });

  it('places channels last for one pixel', async () => {
    const root = await makeTempFolder();
    const folder = await writeCifarFolder(root);

    // Record 1 of test_batch.bin, row 2, column 5: the R, G and B bytes sit 1024 bytes apart in the file.
    const dataset = await parseCifar10Folder(folder);
    const file = await readFile(join(folder, 'test_batch.bin'));
    const source = 3073 + 1 + 2 * 32 + 5;
    const target = ((1 * 32 + 2) * 32 + 5) * 3;

    expect(Array.from(dataset.test.images.subarray(target, target + 3))).toEqual([
      file[source],
      file[source + 1024],
      file[source + 2048],
    ]);
  });

  it('accepts the batches folder itself', async () => {
    const root = await makeTempFolder();
    const folder = await writeCifarFolder(root);

    const dataset = await parseCifar10Folder(folder);

    expect(dataset.test.count).toBe(DEFAULT_RECORDS[5]);
  });

  type Corruption = [string, string, (folder: string) => Promise<void>, RegExp];
  it.each<Corruption>([
    [
      'truncated batch',
      'data_batch_3.bin',
      (f) => truncate(join(f, 'data_batch_3.bin'), 3073 * 2 - 100),
      /6046 bytes, expected a positive multiple of 3073/,
    ],
    [
      'trailing bytes',
      'test_batch.bin',
      (f) => appendFile(join(f, 'test_batch.bin'), Buffer.from([1, 2])),
      /9221 bytes/,
    ],
    ['empty batch', 'data_batch_1.bin', (f) => truncate(join(f, 'data_batch_1.bin'), 0), /0 bytes/],
    ['missing batch', 'data_batch_5.bin', (f) => rm(join(f, 'data_batch_5.bin')), /Missing file/],
    [
      'missing class names',
      'batches.meta.txt',
      (f) => rm(join(f, 'batches.meta.txt')),
      /Missing file/,
    ],
    [
      'label out of range',
      'data_batch_2.bin',
      (f) => writeLabel(join(f, 'data_batch_2.bin'), 1, 200),
      /record 1 \(byte 3073\) has label 200, expected 0 to 9/,
    ],
    [
      'nine class names',
      'batches.meta.txt',
      (f) => writeFile(join(f, 'batches.meta.txt'), CLASS_NAMES.slice(0, 9).join('\n')),
      /lists 9 class names, expected 10/,
    ],
    [
      'eleven class names',
      'batches.meta.txt',
      (f) => writeFile(join(f, 'batches.meta.txt'), [...CLASS_NAMES, 'x'].join('\n')),
      /lists 11 class names/,
    ],
  ])('rejects %s naming %s', async (_case, fileName, corrupt, reason) => {
    const root = await makeTempFolder();
    const folder = await writeCifarFolder(root);
    await corrupt(folder);

    const error = await parseCifar10Folder(root).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CifarDataError);
    expect((error as CifarDataError).location).toBe(join(folder, fileName));
    expect((error as Error).message).toContain(join(folder, fileName));
    expect((error as Error).message).toMatch(reason);
  });

  it('rejects a folder without batches', async () => {
    const root = await makeTempFolder();

    await expect(parseCifar10Folder(root)).rejects.toThrow(
      /No CIFAR-10 binary batches in .*cifar-10-batches-bin/,
    );
  });
});

async function writeLabel(path: string, record: number, label: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[record * 3073] = label;
  await writeFile(path, bytes);
}
