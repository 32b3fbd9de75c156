import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { writeFixtureArchive } from './fixture-archive';

/**
 * The built bundle. Tests run it as users do, so they also check that it loads one
 * tfjs-core with every gradient registered.
 */
export const cli = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));

/** Paths that {@link useCliFixture} fills in before the tests of a file run. */
export interface CliPaths {
  /** Temporary folder for the file's runs, removed after its tests. */
  folder: string;
  /** A CIFAR-10 archive of generated images in the official layout, inside `folder`. */
  archive: string;
}

/**
 * Registers hooks that create a temporary folder with a fixture archive (200 training and
 * 50 test images) before the tests of a file and remove it after them. Returns the paths
 * and a function that runs the CLI with its cache in that folder.
 */
export function useCliFixture(prefix: string) {
  const paths: CliPaths = { folder: '', archive: '' };
  beforeAll(async () => {
    paths.folder = mkdtempSync(join(tmpdir(), prefix));
    paths.archive = await writeFixtureArchive(paths.folder, 40, 50);
  });
  afterAll(() => {
    rmSync(paths.folder, { recursive: true, force: true });
  });

  const runCli = (args: string[], timeout = 300_000) => {
    const result = spawnSync(process.execPath, [cli, ...args], {
      encoding: 'utf8',
      env: { ...process.env, SIMCLR_CACHE_DIR: join(paths.folder, 'cache'), SIMCLR_CIFAR10: '' },
      timeout,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  return { paths, runCli };
}
