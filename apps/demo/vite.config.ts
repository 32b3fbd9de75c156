import { defineConfig } from 'vite';
import { cifarSamplePlugin } from './scripts/cifar-sample-plugin.ts';

export default defineConfig({
  // Relative asset URLs, so dist/ works from any folder of a static server.
  base: './',
  plugins: [cifarSamplePlugin()],
  resolve: {
    // Every package must share one tfjs-core, or backends register on another engine.
    dedupe: ['@tensorflow/tfjs-core'],
  },
  build: {
    target: 'es2022',
    // tfjs-core and the backends make chunks of about 1 MB; that is expected here.
    chunkSizeWarningLimit: 3000,
  },
  preview: { host: '127.0.0.1' },
  server: { host: '127.0.0.1' },
});
