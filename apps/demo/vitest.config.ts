import { defineConfig } from 'vitest/config';

// The tests are plain Node: they build the page with Vite in a child process and drive
// Chromium, so the tfjs aliases and setup of the library packages are not needed here.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
