import { defineConfig } from 'vitest/config';

// The tests run in Node and drive Chromium, so no tfjs setup file is needed here. One
// file builds the page and runs every backend in its beforeAll. The hook timeout is long
// because WebGPU emulated by SwiftShader is slow.
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
