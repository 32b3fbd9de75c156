// Loads tfjs the way every test expects it: one tfjs-core instance with every
// gradient registered, and the cpu and wasm backends available.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);
const wasmDist = join(
  dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
  'dist',
);
setWasmPaths(`${wasmDist}/`);

// Silences tfjs's one-time advice to install tfjs-node. IS_TEST would too,
// but it also turns on kernel leak checks that flag tfjs's own custom
// gradients (softmaxCrossEntropy) as leaks.
tf.env().set('PROD', true);
await tf.setBackend('cpu');
