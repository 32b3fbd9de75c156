import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { findBatchesFolder } from './batches-folder.js';
import { parseClassNames } from './class-names.js';
import { CifarDataError } from './errors.js';
import {
  IMAGE_CHANNELS,
  IMAGE_HEIGHT,
  IMAGE_WIDTH,
  MAX_META_BYTES,
  META_FILE,
  PIXEL_BYTES,
  TEST_FILE,
  TRAIN_FILES,
} from './layout.js';
import { countRecords, decodeBatch } from './parse-batch.js';
import type { CifarDataset, CifarSplit } from './types.js';

/**
 * Parses an extracted CIFAR-10 binary release into NHWC uint8 arrays.
 *
 * `folder` is either `cifar-10-batches-bin` itself or a folder containing it. The training split
 * concatenates `data_batch_1.bin` … `data_batch_5.bin` in that order, and the test split is
 * `test_batch.bin`. Any positive whole number of records per file is accepted, not only the
 * official 10,000, so that small test archives parse too.
 *
 * @throws CifarDataError naming the file: `NOT_FOUND` for a missing file, `INVALID_BATCH_FILE` for
 *   a size that is not a multiple of 3073 bytes, a label of 10 or more, or a class-names file
 *   without exactly 10 names.
 */
export async function parseCifar10Folder(folder: string): Promise<CifarDataset> {
  const batchesFolder = await findBatchesFolder(folder);

  const metaPath = join(batchesFolder, META_FILE);
  await fileSize(metaPath, MAX_META_BYTES);
  const classNames = parseClassNames(await readFile(metaPath, 'utf8'), metaPath);

  const train = await parseSplit(TRAIN_FILES.map((name) => join(batchesFolder, name)));
  const test = await parseSplit([join(batchesFolder, TEST_FILE)]);
  return { train, test, classNames };
}

async function parseSplit(paths: string[]): Promise<CifarSplit> {
  // Sizes first, so that the split is allocated once and a bad last file fails before any decoding.
  const counts: number[] = [];
  for (const path of paths) {
    counts.push(countRecords(await fileSize(path), path));
  }
  const count = counts.reduce((sum, n) => sum + n, 0);

  const images = new Uint8Array(count * PIXEL_BYTES);
  const labels = new Uint8Array(count);
  let offset = 0;
  for (const [index, path] of paths.entries()) {
    const bytes = await readFile(path);
    const expected = counts[index]!;
    if (countRecords(bytes.length, path) !== expected) {
      throw new CifarDataError(
        'INVALID_BATCH_FILE',
        path,
        `${path} changed size while it was read; load again.`,
      );
    }
    decodeBatch(bytes, path, images, labels, offset);
    offset += expected;
  }

  return {
    images,
    labels,
    count,
    height: IMAGE_HEIGHT,
    width: IMAGE_WIDTH,
    channels: IMAGE_CHANNELS,
  };
}

/** Returns the size of a regular file, or throws naming it when it is missing or larger than `maxBytes`. */
async function fileSize(path: string, maxBytes = Infinity): Promise<number> {
  const stats = await stat(path).catch(() => undefined);
  if (stats === undefined || !stats.isFile()) {
    throw new CifarDataError(
      'NOT_FOUND',
      path,
      `Missing file ${path}: a CIFAR-10 binary release contains ${TRAIN_FILES.join(', ')}, ` +
        `${TEST_FILE} and ${META_FILE}. Extract the archive again.`,
    );
  }
  if (stats.size > maxBytes) {
    throw new CifarDataError(
      'INVALID_BATCH_FILE',
      path,
      `${path} is ${stats.size} bytes, expected at most ${maxBytes}.`,
    );
  }
  return stats.size;
}
