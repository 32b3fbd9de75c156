import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveCacheDir } from './cache-dir.js';
import { CifarDataError } from './errors.js';
import { fetchToFile } from './fetch-to-file.js';
import { md5File, normalizeMd5 } from './md5-file.js';
import type { NoticeCallback, ProgressCallback } from './types.js';

/** Official CIFAR-10 binary archive (Krizhevsky, 2009), about 163 MiB. */
export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';

/** md5 of the official archive, as published on https://www.cs.toronto.edu/~kriz/cifar.html. */
export const CIFAR10_MD5 = 'c32a1d4ab5d03f1284b67883e8d87530';

/** File name of the archive inside the cache folder. */
export const ARCHIVE_FILE_NAME = 'cifar-10-binary.tar.gz';

/** Advice appended to download errors. */
const LOCAL_COPY_ADVICE =
  'Retry, or pass a local copy of cifar-10-binary.tar.gz or of its extracted cifar-10-batches-bin folder ' +
  'as the data option (--data PATH on the command line).';

/** Options of {@link downloadCifar10}. */
export interface DownloadOptions {
  /** Cache folder, by default the one {@link resolveCacheDir} returns. */
  cacheDir?: string;
  /** Archive URL, by default {@link CIFAR10_URL}. */
  url?: string;
  /** Expected md5 of the archive as 32 hex digits, by default {@link CIFAR10_MD5}. */
  md5?: string;
  /** Receives progress during the transfer. */
  onProgress?: ProgressCallback;
  /** Receives a one-line notice when a cached copy fails verification and is downloaded again. */
  onNotice?: NoticeCallback;
  /** Milliseconds without any received byte before the download is aborted, by default 60,000. */
  stallTimeoutMs?: number;
}

/**
 * Downloads the CIFAR-10 binary archive into the cache folder and returns its path,
 * `<cacheDir>/cifar-10-binary.tar.gz`.
 *
 * A cached copy whose md5 matches is returned without any request. Otherwise the body streams
 * into a hidden temporary file in the cache folder while its md5 is computed. The file is then
 * verified, fsynced and renamed into place, so the final name only ever refers to a verified archive.
 *
 * @throws CifarDataError with code `DOWNLOAD_FAILED` (HTTP error status, network error, stall,
 *   connection closed early) or `CHECKSUM_MISMATCH`. The temporary file is deleted first.
 *   Throws RangeError when `md5` is not 32 hex digits.
 */
export async function downloadCifar10(options: DownloadOptions = {}): Promise<string> {
  const url = options.url ?? CIFAR10_URL;
  const expectedMd5 = normalizeMd5(options.md5 ?? CIFAR10_MD5, 'md5 option');
  const cacheDir = resolveCacheDir(options.cacheDir);
  const archivePath = join(cacheDir, ARCHIVE_FILE_NAME);

  if (await isFile(archivePath)) {
    const cachedMd5 = await md5File(archivePath);
    if (cachedMd5 === expectedMd5) {
      return archivePath;
    }
    options.onNotice?.(
      `Cached ${archivePath} has md5 ${cachedMd5}, expected ${expectedMd5}; downloading it again.`,
    );
  }

  await mkdir(cacheDir, { recursive: true });
  const tempPath = join(cacheDir, `.${ARCHIVE_FILE_NAME}.${randomBytes(6).toString('hex')}.part`);
  try {
    await fetchVerified(url, tempPath, expectedMd5, options);
    await rename(tempPath, archivePath);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }

  await syncFolder(cacheDir);
  return archivePath;
}

async function fetchVerified(
  url: string,
  tempPath: string,
  expectedMd5: string,
  options: DownloadOptions,
) {
  let fetched;
  try {
    fetched = await fetchToFile(url, tempPath, {
      onProgress: options.onProgress,
      stallTimeoutMs: options.stallTimeoutMs ?? 60_000,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CifarDataError(
      'DOWNLOAD_FAILED',
      url,
      `Download of ${url} failed: ${reason}. ${LOCAL_COPY_ADVICE}`,
      {
        cause: error,
      },
    );
  }

  if (fetched.md5 !== expectedMd5) {
    throw new CifarDataError(
      'CHECKSUM_MISMATCH',
      url,
      `Download of ${url} failed: md5 of the ${fetched.bytes} bytes received is ${fetched.md5}, ` +
        `expected ${expectedMd5}, so the file is corrupt or not the expected archive. ${LOCAL_COPY_ADVICE}`,
    );
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Fsyncs a folder so that a rename inside it survives a crash. Best effort, because Windows cannot open folders. */
async function syncFolder(path: string): Promise<void> {
  try {
    const folder = await open(path, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch {
    // The rename has happened, and only its durability across a power loss is not guaranteed.
  }
}
