import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);
const tfjsPackages = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
];

function esmEntry(name: string): string {
  const manifestPath = require.resolve(`${name}/package.json`);
  const manifest = require(manifestPath) as { module: string };
  return join(dirname(manifestPath), manifest.module);
}

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
 * tfjs is inlined and its bare names are aliased to its ES entries, so one
 * tfjs-core instance serves the tests, the gradient registrations and every
 * backend. Workspace packages resolve to their sources.
 */
export function sharedConfig() {
  return defineConfig({
    resolve: {
      alias: [
        // Vite would resolve these bare names through `main` (CommonJS) while
        // the gradient registrations import the ES modules under dist/:
        // pinning the ES entries keeps a single tfjs-core instance.
        ...tfjsPackages.map((name) => ({
          find: new RegExp(`^${name}$`),
          replacement: esmEntry(name),
        })),
        ...Object.entries(packageFolders).map(([name, folder]) => ({
          find: new RegExp(`^@simclr-ts/${name}$`),
          replacement: `${root}packages/${folder}/src/index.ts`,
        })),
      ],
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
