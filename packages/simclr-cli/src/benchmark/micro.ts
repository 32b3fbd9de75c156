import * as tf from '@tensorflow/tfjs-core';
import { createRng, simclrAugment } from '@simclr-ts/augment';
import { TRAINING_AUGMENT } from './training-step';
import { loadCifar10 } from '@simclr-ts/cifar';
import { ntXentLoss } from '@simclr-ts/contrastive-losses';
import { median, peakResidentBytes, timeRuns } from './timing';

/** Median milliseconds to produce one SimCLR view of `batchSize` random 32×32 images, and the rate. */
export async function timeAugmentation(batchSize: number, runs: number) {
  const images = tf.randomUniform([batchSize, 32, 32, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  const rng = createRng(1);
  const times = await timeRuns(2, runs, async () => {
    const view = simclrAugment(images, rng, TRAINING_AUGMENT);
    await view.data();
    view.dispose();
  });
  images.dispose();
  const ms = median(times);
  return { batchSize, msPerView: ms, viewsPerSecond: (1000 * batchSize) / ms };
}

/** Median milliseconds of NT-Xent's value and of its value and gradient for two views `[n, dim]`. */
export async function timeNtXent(n: number, dim: number, runs: number) {
  const z1 = tf.randomNormal([n, dim], 0, 1, 'float32', 4) as tf.Tensor2D;
  const z2 = tf.randomNormal([n, dim], 0, 1, 'float32', 5) as tf.Tensor2D;
  const forward = await timeRuns(2, runs, async () => {
    const value = ntXentLoss(z1, z2);
    await value.data();
    value.dispose();
  });
  const gradient = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    ntXentLoss(a as tf.Tensor2D, b as tf.Tensor2D),
  );
  const backward = await timeRuns(2, runs, async () => {
    const grads = gradient([z1, z2]);
    await Promise.all(grads.map((grad) => grad.data()));
    tf.dispose(grads);
  });
  tf.dispose([z1, z2]);
  return { n, dim, forwardMs: median(forward), forwardBackwardMs: median(backward) };
}

/**
 * Seconds to load and parse the CIFAR-10 archive at `data` with a fresh
 * cache folder (so extraction is included), and this process's peak
 * resident memory afterwards.
 */
export async function timeCifarParse(data: string, cacheDir: string) {
  const started = performance.now();
  const dataset = await loadCifar10({ data, cacheDir, onNotice: () => undefined });
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    trainImages: dataset.train.count,
    testImages: dataset.test.count,
    peakResidentBytes: await peakResidentBytes(),
  };
}
