import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

// The CLI ships as one CommonJS bundle that contains tfjs and our packages, plus
// the bundle of a data-parallel training worker built the same way.
// esbuild must read the `module` field first: with Node's default order
// (`main` first) tfjs-core would be bundled twice, once as ESM and once as
// CommonJS, and a backend registered on one engine would be missing on the
// other. The wasm binaries stay in @tensorflow/tfjs-backend-wasm/dist and are
// located at run time. The webgpu backend is bundled too, and registers only when
// its module first runs, after Dawn has installed navigator.gpu.
//
// tfjs-node and tfjs-node-gpu stay outside: they are native addons that the user
// installs next to the CLI. Each brings its own CommonJS tfjs-core, which shares the
// engine and the kernel and gradient registries with the bundled one through
// tfjs-core's global variables, so the versions of tfjs-core must match (4.22.0).
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
    // Optional packages the user may install; they load at run time when present.
    // Dawn (`webgpu`) contains a native addon, dawn.node, so it stays outside too.
    // The wasm backend's package.json is only located at run time, to find its binaries.
    options.external = [
      '@tensorflow/tfjs-node',
      '@tensorflow/tfjs-node-gpu',
      'webgpu',
      '@tensorflow/tfjs-backend-wasm/package.json',
    ];
  },
  banner: { js: '#!/usr/bin/env node' },
  define: { PACKAGE_VERSION: JSON.stringify(version) },
});
