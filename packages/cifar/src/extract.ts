import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, posix, win32 } from 'node:path';
import { extract, type ReadEntry } from 'tar';
import { CifarDataError } from './errors.js';

/**
 * Extracts a tar archive (plain or gzip-compressed) into `targetFolder`, which must not exist yet.
 *
 * Entries are written to a temporary sibling folder that is renamed to `targetFolder` only after
 * every entry is on disk, so an interrupted extraction never leaves a partial `targetFolder`.
 * If another process finishes the same extraction first, its folder is kept and this one is dropped.
 * Entries that would land outside the folder are rejected: absolute paths, paths with a `..`
 * segment, and symbolic or hard links whose target resolves outside.
 *
 * @throws CifarDataError with code `UNSAFE_ARCHIVE_ENTRY` naming the first such entry, or
 *   `INVALID_ARCHIVE` when the file is not a readable tar archive (corrupt, truncated, not tar).
 */
export async function extractArchive(archivePath: string, targetFolder: string): Promise<void> {
  const parent = dirname(targetFolder);
  await mkdir(parent, { recursive: true });
  const tempFolder = join(
    parent,
    `.${basename(targetFolder)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  await mkdir(tempFolder);

  try {
    await extractChecked(archivePath, tempFolder);
    await renameUnlessPresent(tempFolder, targetFolder);
  } catch (error) {
    await removeAfterFailure(tempFolder);
    throw error;
  }
}

/**
 * Deletes the temporary folder after a failed extraction. When tar fails on a corrupt stream it
 * rejects while file writes may still be pending, so `rm` retries on ENOTEMPTY. tar 7 creates
 * folders one level at a time below its working folder, so it cannot recreate that folder.
 */
async function removeAfterFailure(folder: string): Promise<void> {
  try {
    await rm(folder, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  } catch {
    // NOTE: the hidden `.<target>.<random>.tmp` folder stays behind when deletion keeps failing.
    // It is never mistaken for a finished extraction, but it takes space until deleted by hand.
  }
}

async function extractChecked(archivePath: string, folder: string): Promise<void> {
  let unsafeEntry: string | undefined;

  // tar calls the filter before it writes an entry. After the first unsafe entry every entry is
  // skipped, and the error is raised once tar has finished, so no write is still pending when the
  // temporary folder is deleted.
  const filter = (_path: string, entry: unknown): boolean => {
    if (unsafeEntry === undefined) {
      unsafeEntry = describeUnsafeEntry(entry as ReadEntry);
    }
    return unsafeEntry === undefined;
  };

  try {
    await extract({ file: archivePath, cwd: folder, strict: true, filter });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CifarDataError(
      'INVALID_ARCHIVE',
      archivePath,
      `Cannot extract ${archivePath}: ${reason}. Expected a complete .tar.gz archive; download it again ` +
        'or pass the extracted cifar-10-batches-bin folder instead.',
      { cause: error },
    );
  }

  if (unsafeEntry !== undefined) {
    throw new CifarDataError(
      'UNSAFE_ARCHIVE_ENTRY',
      archivePath,
      `Rejected ${archivePath}: entry ${unsafeEntry}, which would be written outside the extraction folder. ` +
        'Entries must be relative paths without ".." and links must point inside the archive.',
    );
  }
}

/** Returns a description of the entry when it would escape the extraction folder, else undefined. */
function describeUnsafeEntry(entry: ReadEntry): string | undefined {
  const path = entry.path;
  if (isEscapingPath(path)) {
    return `"${path}"`;
  }

  const link = entry.linkpath;
  if (link === undefined || link === '') {
    return undefined;
  }
  // A symbolic link's target is relative to the link's folder, a hard link's to the archive root.
  const base = entry.type === 'SymbolicLink' ? posix.dirname(path) : '.';
  if (isAbsolutePath(link) || escapesRoot(posix.join(base, link))) {
    return `"${path}" (${entry.type} to "${link}")`;
  }
  return undefined;
}

function isEscapingPath(path: string): boolean {
  return isAbsolutePath(path) || path.replaceAll('\\', '/').split('/').includes('..');
}

function isAbsolutePath(path: string): boolean {
  return isAbsolute(path) || win32.isAbsolute(path);
}

function escapesRoot(joined: string): boolean {
  const normalized = posix.normalize(joined.replaceAll('\\', '/'));
  return normalized === '..' || normalized.startsWith('../');
}

async function renameUnlessPresent(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    const present = await stat(to).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
    if (!present) {
      throw error;
    }
    await rm(from, { recursive: true, force: true });
  }
}
