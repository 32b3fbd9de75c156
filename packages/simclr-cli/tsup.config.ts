import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

// The CLI ships as one CommonJS bundle that contains tfjs and our packages, plus
// the bundle of a data-parallel training worker built the same way.
// esbuild must read the `module` field first: with Node's default order
// (`main` first) tfjs-core would be bundled twice, once as ESM and once as
// CommonJS, and a backend registered on one engine would be missing on the
// other. The wasm binaries stay in @tensorflow/tfjs-backend-wasm/dist and are
// located at run time.
export default defineConfig({
  entry: { cli: 'src/cli.ts', 'replica-worker': 'src/replica/replica-worker.ts' },
  format: ['cjs'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
  noExternal: [/.*/],
  esbuildOptions(options) {
    options.mainFields = ['module', 'main'];
    // Optional backends the user may install; they load at run time when present.
    options.external = [
      '@tensorflow/tfjs-node',
      '@tensorflow/tfjs-node-gpu',
      '@tensorflow/tfjs-backend-webgpu',
      'webgpu',
    ];
  },
  banner: { js: '#!/usr/bin/env node' },
  define: { PACKAGE_VERSION: JSON.stringify(version) },
});
