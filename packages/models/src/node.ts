// The Node.js entry point, `@simclr-ts/models/node`: weight folders on the file system.
// It is separate from the main entry so that browser bundles never import `node:fs`.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { checkFileName, type FolderReader, type FolderWriter } from './weight-folder';

/**
 * Returns a weight folder on the local file system, for `saveWeightsToFolder` and
 * `loadWeightsFromFolder`. Writes go to a temporary file in the folder that is then
 * renamed over the target, so a crash never leaves a half-written weight file. The folder
 * is created on the first write.
 */
export function nodeFolder(path: string): FolderReader & FolderWriter {
  const folder = resolve(path);
  return {
    location: folder,

    async read(name: string): Promise<Uint8Array | undefined> {
      checkFileName(name);
      try {
        return await readFile(join(folder, name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return undefined;
        }
        throw error;
      }
    },

    async write(name: string, bytes: Uint8Array): Promise<void> {
      checkFileName(name);
      await mkdir(folder, { recursive: true });
      const temporary = join(folder, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(temporary, bytes);
        await rename(temporary, join(folder, name));
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },

    async remove(name: string): Promise<void> {
      checkFileName(name);
      await rm(join(folder, name), { force: true });
    },
  };
}
