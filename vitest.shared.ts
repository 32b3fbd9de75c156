import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const packageFolders: Record<string, string> = {
  augment: 'augment',
  'contrastive-losses': 'losses',
  models: 'models',
  cifar: 'cifar',
  backends: 'backends',
  train: 'train',
  cli: 'simclr-cli',
};

/**
 * Builds the Vitest configuration that every package shares.
 *
 * tfjs is inlined so that Vite resolves it through the `module` field: one
 * tfjs-core instance then serves the tests, the gradient registrations and
 * every backend. Workspace packages resolve to their sources.
 */
export function sharedConfig() {
  return defineConfig({
    resolve: {
      alias: Object.entries(packageFolders).map(([name, folder]) => ({
        find: new RegExp(`^@simclr-ts/${name}$`),
        replacement: `${root}packages/${folder}/src/index.ts`,
      })),
    },
    test: {
      setupFiles: [`${root}test-support/setup-tfjs.ts`],
      testTimeout: 120_000,
      hookTimeout: 120_000,
      pool: 'forks',
      server: { deps: { inline: [/@tensorflow\//] } },
    },
  });
}
