import { describe, expect, it } from 'vitest';
import { probeBackend } from '../src/backend-probes';
import { checkRegistered, isModuleNotFound, messageOf } from '../src/probe-utils';

function errorWith(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

describe('isModuleNotFound', () => {
  it.each([
    [
      'Node ESM',
      errorWith(
        "Cannot find package '@tensorflow/tfjs-node' imported from /app/x.js",
        'ERR_MODULE_NOT_FOUND',
      ),
    ],
    [
      'Node CommonJS',
      errorWith(
        "Cannot find module '@tensorflow/tfjs-node'\nRequire stack:\n- /app/x.cjs",
        'MODULE_NOT_FOUND',
      ),
    ],
    [
      'Vite',
      errorWith(
        'Could not resolve "@tensorflow/tfjs-node" imported by "@simclr-ts/backends". Is it installed?',
      ),
    ],
  ])('treats the %s message as not installed', (_runtime, error) => {
    expect(isModuleNotFound(error, '@tensorflow/tfjs-node')).toBe(true);
  });

  it('treats a missing file inside the package as a load failure', () => {
    const error = errorWith(
      "Cannot find module '/app/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node'\n" +
        'Require stack:\n- /app/node_modules/@tensorflow/tfjs-node/dist/index.js',
      'MODULE_NOT_FOUND',
    );

    expect(isModuleNotFound(error, '@tensorflow/tfjs-node')).toBe(false);
  });

  it('treats other errors as load failures', () => {
    expect(
      isModuleNotFound(
        errorWith('libtensorflow.so.2: cannot open shared object file'),
        '@tensorflow/tfjs-node',
      ),
    ).toBe(false);
  });
});

describe('checkRegistered', () => {
  it('accepts a backend registered on this engine', () => {
    expect(checkRegistered('cpu', '@tensorflow/tfjs-backend-cpu')).toBeUndefined();
  });

  it('explains a backend missing from this engine', () => {
    expect(checkRegistered('webgpu', '@tensorflow/tfjs-backend-webgpu')).toEqual({
      available: false,
      reason:
        "@tensorflow/tfjs-backend-webgpu loaded but registered no 'webgpu' backend on this " +
        'tfjs-core instance; it probably loaded a second copy of @tensorflow/tfjs-core',
    });
  });
});

describe('probeBackend', () => {
  it('finds wasm without initialising it', async () => {
    const probe = await probeBackend('wasm', {});

    expect(probe.available).toBe(true);
    expect(probe.reason).toBe('package loaded');
  });
});

describe('messageOf', () => {
  it.each([
    [new Error('boom'), 'boom'],
    [{ message: 'rejected object' }, 'rejected object'],
    ['plain text', 'plain text'],
    [null, 'null'],
  ])('reads %s', (error, expected) => {
    expect(messageOf(error)).toBe(expected);
  });
});
