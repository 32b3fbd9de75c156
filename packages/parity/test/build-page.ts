import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** Folder of the page's index.html and entry script. */
export const PAGE_ROOT = fileURLToPath(new URL('../src/page/', import.meta.url));

/**
 * Bundles the parity page into `outDir` with Vite. Workspace packages resolve through their
 * `module` entries in dist/, so their build must be current (turbo's `^build` does that).
 * tfjs resolves through `module` too, which gives one tfjs-core instance.
 */
export async function buildParityPage(outDir: string): Promise<void> {
  await build({
    root: PAGE_ROOT,
    configFile: false,
    logLevel: 'warn',
    base: './',
    resolve: { dedupe: ['@tensorflow/tfjs-core'] },
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'es2022',
      assetsInlineLimit: 0,
      reportCompressedSize: false,
      // tfjs-core and the three backends make one large bundle; that is expected here.
      chunkSizeWarningLimit: 10_000,
    },
  });
}
