import * as tf from '@tensorflow/tfjs-core';

import { normalValues } from './inputs';
import type { ParityCase } from './parity-case';

/**
 * Plain tfjs kernels that tfjs 4.22 computes wrongly on wasm or WebGPU. The tolerance table
 * marks each as an expected failure on that backend, so the suite notices when a tfjs
 * release fixes one and the workaround (or the open problem) can be revisited.
 */
export function kernelCases(): ParityCase[] {
  return [maxPoolGradCase(), gatherBatchDimsCase(), addNCase(), padRank6Case()];
}

/**
 * Gradient of `sum(maxPool(x))` for 2×2 windows at stride 2 over negative inputs, through
 * tfjs's own `MaxPoolGrad` kernel. `MaxPool2d` of `@simclr-ts/models` composes this gradient
 * from other kernels instead.
 */
function maxPoolGradCase(): ParityCase {
  return {
    name: 'tfjs/max-pool-grad',
    run(digest) {
      digest('x = -1 - |N(0, 1)|, [1, 4, 4, 1]');
      const values = normalValues(600, 16).map((value) => -1 - Math.abs(value));
      const x = tf.tensor4d(values, [1, 4, 4, 1]);
      const grad = tf.grad((input) => tf.sum(tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid')))(x);
      return { 'grad x': grad };
    },
  };
}

/**
 * `tf.gather` along the width of images `[N, H, W, C]` with per-image column indices
 * (`batchDims` 1), as a batched flip would use it. The augment package's flips avoid it.
 */
function gatherBatchDimsCase(): ParityCase {
  const [batch, height, width, channels] = [4, 3, 5, 3];
  return {
    name: 'tfjs/gather-batch-dims',
    run(digest) {
      // Odd images are mirrored, even ones kept.
      const indices = Array.from({ length: batch }, (_, image) =>
        Array.from({ length: width }, (_, column) =>
          image % 2 === 1 ? width - 1 - column : column,
        ),
      );
      digest(JSON.stringify(indices));
      const size = batch * height * width * channels;
      const images = tf.tensor4d(normalValues(601, size), [batch, height, width, channels]);
      const gathered = tf.gather(images, tf.tensor2d(indices, [batch, width], 'int32'), 2, 1);
      return { output: gathered };
    },
  };
}

/** `tf.addN` of 9 tensors, as `MaxPool2d`'s gradient sums the 9 offsets of a 3×3 window. */
function addNCase(): ParityCase {
  return {
    name: 'tfjs/add-n-9-inputs',
    run(digest) {
      digest('9 tensors [2, 3]');
      const inputs = Array.from({ length: 9 }, (_, index) =>
        tf.tensor2d(normalValues(610 + index, 6), [2, 3]),
      );
      return { sum: tf.addN(inputs) };
    },
  };
}

/** `tf.pad` of a rank-6 tensor, as `MaxPool2d`'s gradient spreads values with zeros. */
function padRank6Case(): ParityCase {
  return {
    name: 'tfjs/pad-rank-6',
    run(digest) {
      digest('[2, 2, 1, 2, 1, 3] padded after axes 2 and 4');
      const shape = [2, 2, 1, 2, 1, 3];
      const x = tf.tensor(normalValues(620, 24), shape);
      const padded = tf.pad(x, [
        [0, 0],
        [0, 0],
        [0, 1],
        [0, 0],
        [0, 1],
        [0, 0],
      ]);
      return { output: padded };
    },
  };
}
