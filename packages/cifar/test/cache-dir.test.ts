import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCacheDir } from '../src/index.js';

describe('resolveCacheDir', () => {
  it.each<[string, string | undefined, NodeJS.ProcessEnv, string]>([
    [
      'option first',
      '/opt/cache',
      { SIMCLR_CACHE_DIR: '/env/cache', XDG_CACHE_HOME: '/xdg' },
      '/opt/cache',
    ],
    ['relative option', 'rel/cache', {}, resolve('rel/cache')],
    [
      'env variable',
      undefined,
      { SIMCLR_CACHE_DIR: '/env/cache', XDG_CACHE_HOME: '/xdg' },
      '/env/cache',
    ],
    [
      'empty env variable',
      undefined,
      { SIMCLR_CACHE_DIR: '', XDG_CACHE_HOME: '/xdg' },
      '/xdg/simclr-ts',
    ],
    ['XDG cache home', undefined, { XDG_CACHE_HOME: '/xdg', HOME: '/home/u' }, '/xdg/simclr-ts'],
    [
      'relative XDG ignored',
      undefined,
      { XDG_CACHE_HOME: 'xdg', HOME: '/home/u' },
      '/home/u/.cache/simclr-ts',
    ],
    ['HOME fallback', undefined, { HOME: '/home/u' }, '/home/u/.cache/simclr-ts'],
    ['os home fallback', undefined, {}, join(homedir(), '.cache', 'simclr-ts')],
  ])('uses %s', (_case, option, env, expected) => {
    expect(resolveCacheDir(option, env)).toBe(expected);
  });
});
