import { spawn, spawnSync } from 'node:child_process';
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
 * and a function that runs the CLI (or another copy of its bundle, `script`) with its
 * cache in that folder.
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

  // `env` adds variables to the CLI's environment; an undefined value removes one.
  const cliEnvironment = (env: Record<string, string | undefined>) => {
    const merged: Record<string, string | undefined> = {
      ...process.env,
      SIMCLR_CACHE_DIR: join(paths.folder, 'cache'),
      SIMCLR_CIFAR10: '',
      ...env,
    };
    return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
  };

  const runCli = (
    args: string[],
    timeout = 300_000,
    env: Record<string, string | undefined> = {},
    script = cli,
  ) => {
    const result = spawnSync(process.execPath, [script, ...args], {
      encoding: 'utf8',
      env: cliEnvironment(env),
      timeout,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  /**
   * Runs the CLI like `runCli` without blocking the test worker. Vitest reports an error
   * when a worker blocks for more than a minute, as a long synchronous run does.
   */
  const runCliAsync = (
    args: string[],
    timeout = 300_000,
    env: Record<string, string | undefined> = {},
  ) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [cli, ...args], { env: cliEnvironment(env), timeout });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  return { paths, runCli, runCliAsync };
}
