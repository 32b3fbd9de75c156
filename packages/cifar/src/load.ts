import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { verifyArchiveStructure } from './archive-structure.js';
import { findBatchesFolder } from './batches-folder.js';
import { resolveCacheDir } from './cache-dir.js';
import { CIFAR10_MD5, downloadCifar10 } from './download.js';
import { CifarDataError } from './errors.js';
import { extractArchive } from './extract.js';
import { md5File, normalizeMd5 } from './md5-file.js';
import { parseCifar10Folder } from './parse-folder.js';
import type { CifarDataset, NoticeCallback, ProgressCallback } from './types.js';

/** Options of {@link loadCifar10}. */
export interface LoadCifar10Options {
  /**
   * Local copy to use instead of downloading: a `.tar.gz` (or plain `.tar`) archive, the extracted
   * `cifar-10-batches-bin` folder, or a folder containing it. When undefined or empty, the
   * archive is downloaded into the cache.
   */
  data?: string;
  /** Cache folder for the download and extractions, by default the one {@link resolveCacheDir} returns. */
  cacheDir?: string;
  /** Archive URL to download from, by default {@link CIFAR10_URL}. */
  url?: string;
  /** Expected md5 of the archive as 32 hex digits, by default {@link CIFAR10_MD5}. */
  md5?: string;
  /** Receives download progress. */
  onProgress?: ProgressCallback;
  /** Receives one-line notices, such as the use of a local archive that is not the official one. */
  onNotice?: NoticeCallback;
}

/**
 * Loads CIFAR-10 (Krizhevsky, 2009, "Learning Multiple Layers of Features from Tiny Images") as
 * NHWC uint8 arrays: 50,000 training and 10,000 test images of `[32, 32, 3]` in the official release.
 *
 * Without `data`, downloads and verifies the official archive into the cache folder (see
 * {@link downloadCifar10}). An archive, downloaded or local, is extracted once into
 * `<cacheDir>/cifar-10-extracted-<md5>/` and later loads reuse that folder. A local archive whose
 * md5 is not the official one is accepted when its member files have the expected names and
 * sizes, with a notice. A local folder is read in place.
 *
 * @throws CifarDataError when the data cannot be downloaded, found, extracted or parsed, and
 *   RangeError when `md5` is not 32 hex digits.
 */
export async function loadCifar10(options: LoadCifar10Options = {}): Promise<CifarDataset> {
  const cacheDir = resolveCacheDir(options.cacheDir);
  const expectedMd5 = normalizeMd5(options.md5 ?? CIFAR10_MD5, 'md5 option');

  // An empty data path, as from an empty environment variable, means no local copy.
  if (!options.data) {
    const archivePath = await downloadCifar10({ ...options, cacheDir });
    return parseCifar10Folder(await extractCached(archivePath, expectedMd5, cacheDir, false));
  }

  const dataPath = resolve(options.data);
  const stats = await stat(dataPath).catch(() => undefined);
  if (stats === undefined) {
    throw new CifarDataError(
      'NOT_FOUND',
      dataPath,
      `CIFAR-10 data not found at ${dataPath}: expected cifar-10-binary.tar.gz or a folder with cifar-10-batches-bin.`,
    );
  }
  if (stats.isDirectory()) {
    return parseCifar10Folder(dataPath);
  }

  const md5 = await md5File(dataPath);
  const official = md5 === expectedMd5;
  const dataset = await parseCifar10Folder(await extractCached(dataPath, md5, cacheDir, !official));
  if (!official) {
    options.onNotice?.(
      `Using ${dataPath}: its md5 ${md5} differs from the official archive's ${expectedMd5}, but its ` +
        `layout is valid (${formatCount(dataset.train.count)} train and ${formatCount(dataset.test.count)} test images).`,
    );
  }
  return dataset;
}

/**
 * Extracts the archive into `<cacheDir>/cifar-10-extracted-<md5>` unless that folder exists, and
 * returns the batches folder inside. With `checkLayout`, the member names and sizes are verified
 * before extracting, so that an unrelated archive is never unpacked into the cache.
 */
async function extractCached(
  archivePath: string,
  md5: string,
  cacheDir: string,
  checkLayout: boolean,
): Promise<string> {
  const target = join(cacheDir, `cifar-10-extracted-${md5}`);
  const present = await stat(target).then(
    (stats) => stats.isDirectory(),
    () => false,
  );

  if (!present) {
    if (checkLayout) {
      await verifyArchiveStructure(archivePath);
    }
    await extractArchive(archivePath, target);
  }
  return findBatchesFolder(target);
}

function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}
