import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { dirname, join } from 'node:path';

async function main() {
  tf.enableProdMode();
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  for (const b of ['cpu', 'wasm']) {
    await tf.setBackend(b);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.div(x, tf.scalar(2))))(tf.ones([3]));
    console.log(b, tf.getBackend(), await g.data());
  }
}
void main();
