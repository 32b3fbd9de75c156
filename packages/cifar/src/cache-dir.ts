import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** Environment variable that sets the cache folder. */
export const CACHE_DIR_ENV = 'SIMCLR_CACHE_DIR';

/**
 * Resolves the folder where downloads and extracted archives are cached.
 *
 * Order: `option`, then `$SIMCLR_CACHE_DIR`, then `$XDG_CACHE_HOME/simclr-ts`, then
 * `~/.cache/simclr-ts`. Empty values are skipped. A relative `XDG_CACHE_HOME` is skipped too,
 * because the XDG Base Directory specification (version 0.7 and later) requires absolute paths.
 * The home folder is `$HOME` of `env`, else `os.homedir()`.
 *
 * @returns an absolute path. The folder is not created here.
 */
export function resolveCacheDir(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (option) {
    return resolve(option);
  }

  const fromEnv = env[CACHE_DIR_ENV];
  if (fromEnv) {
    return resolve(fromEnv);
  }

  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) {
    return join(xdg, 'simclr-ts');
  }

  return join(env.HOME || homedir(), '.cache', 'simclr-ts');
}
