import { defineConfig } from 'tsup';

/**
 * Builds the tsup configuration of a library package: ES module, CommonJS
 * and type declarations from `src/index.ts`, with dependencies and peer
 * dependencies left external.
 */
export function libraryConfig() {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
  });
}
