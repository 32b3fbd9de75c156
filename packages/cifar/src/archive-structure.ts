import { list, type ReadEntry } from 'tar';
import { CifarDataError } from './errors.js';
import {
  BATCHES_FOLDER,
  MAX_META_BYTES,
  META_FILE,
  RECORD_BYTES,
  TEST_FILE,
  TRAIN_FILES,
} from './layout.js';

/** Record counts found by {@link verifyArchiveStructure}. */
export interface ArchiveStructure {
  /** Records in the five training batch files together. */
  trainRecords: number;
  /** Records in the test batch file. */
  testRecords: number;
}

/**
 * Checks, without extracting, that a tar archive has the layout of the official CIFAR-10 binary
 * release: `cifar-10-batches-bin/` with `data_batch_1.bin` … `data_batch_5.bin` and
 * `test_batch.bin`, each a positive whole number of 3073-byte records, and `batches.meta.txt`
 * of 1 to 4096 bytes. Other members are ignored. Reads (and decompresses) the whole archive once.
 *
 * @throws CifarDataError with code `INVALID_ARCHIVE` listing every missing or mis-sized member,
 *   or when the file cannot be read as a tar archive.
 */
export async function verifyArchiveStructure(archivePath: string): Promise<ArchiveStructure> {
  const sizes = await listFileSizes(archivePath);
  const problems: string[] = [];
  const recordCounts = new Map<string, number>();

  for (const name of [...TRAIN_FILES, TEST_FILE]) {
    const size = sizes.get(`${BATCHES_FOLDER}/${name}`);
    if (size === undefined) {
      problems.push(`${BATCHES_FOLDER}/${name} is missing`);
    } else if (size === 0 || size % RECORD_BYTES !== 0) {
      problems.push(
        `${BATCHES_FOLDER}/${name} is ${size} bytes, not a positive multiple of ${RECORD_BYTES}`,
      );
    } else {
      recordCounts.set(name, size / RECORD_BYTES);
    }
  }

  const metaSize = sizes.get(`${BATCHES_FOLDER}/${META_FILE}`);
  if (metaSize === undefined) {
    problems.push(`${BATCHES_FOLDER}/${META_FILE} is missing`);
  } else if (metaSize === 0 || metaSize > MAX_META_BYTES) {
    problems.push(
      `${BATCHES_FOLDER}/${META_FILE} is ${metaSize} bytes, expected 1 to ${MAX_META_BYTES}`,
    );
  }

  if (problems.length > 0) {
    throw new CifarDataError(
      'INVALID_ARCHIVE',
      archivePath,
      `${archivePath} does not have the layout of the CIFAR-10 binary archive: ${problems.join('; ')}.`,
    );
  }

  const trainRecords = TRAIN_FILES.reduce((sum, name) => sum + recordCounts.get(name)!, 0);
  return { trainRecords, testRecords: recordCounts.get(TEST_FILE)! };
}

/** Maps each regular-file member's path (without a leading `./`) to its size in bytes. */
async function listFileSizes(archivePath: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  const onReadEntry = (entry: ReadEntry) => {
    if (entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile') {
      sizes.set(entry.path.replace(/^(\.\/)+/, ''), entry.size);
    }
  };

  try {
    await list({ file: archivePath, strict: true, onReadEntry });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CifarDataError(
      'INVALID_ARCHIVE',
      archivePath,
      `Cannot read ${archivePath} as a tar archive: ${reason}. Expected a complete cifar-10-binary.tar.gz.`,
      { cause: error },
    );
  }
  return sizes;
}
