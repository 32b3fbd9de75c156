import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** Returns a function that creates temporary folders, each deleted after the current test. */
export function useTempFolders(): () => Promise<string> {
  const folders: string[] = [];
  afterEach(async () => {
    await Promise.all(
      folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })),
    );
  });
  return async () => {
    const folder = await mkdtemp(join(tmpdir(), 'simclr-cifar-'));
    folders.push(folder);
    return folder;
  };
}
