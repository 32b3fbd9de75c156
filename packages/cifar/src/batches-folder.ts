import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CifarDataError } from './errors.js';
import { BATCHES_FOLDER, META_FILE, TEST_FILE, TRAIN_FILES } from './layout.js';

/**
 * Returns the folder holding the batch files: `folder/cifar-10-batches-bin` when it exists,
 * else `folder` itself when it contains any of the batch or class-names files.
 *
 * @throws CifarDataError with code `NOT_FOUND` when neither applies.
 */
export async function findBatchesFolder(folder: string): Promise<string> {
  const nested = join(folder, BATCHES_FOLDER);
  if (await isDirectory(nested)) {
    return nested;
  }

  for (const name of [...TRAIN_FILES, TEST_FILE, META_FILE]) {
    if (await exists(join(folder, name))) {
      return folder;
    }
  }

  throw new CifarDataError(
    'NOT_FOUND',
    folder,
    `No CIFAR-10 binary batches in ${folder}: expected a ${BATCHES_FOLDER} folder inside it, or the files ` +
      `${TRAIN_FILES[0]} … ${TRAIN_FILES[4]}, ${TEST_FILE} and ${META_FILE} directly in it.`,
  );
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
