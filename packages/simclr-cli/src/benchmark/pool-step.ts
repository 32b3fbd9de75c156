import * as tf from '@tensorflow/tfjs-core';
import type { EncoderPreset } from '@simclr-ts/models';
import { createPretrainTrainer } from '../pretrain-model';
import { CIFAR10_CPU } from '../presets';
import { WorkerPoolTrainer } from '../replica/worker-pool-trainer';
import { median, timeRuns } from './timing';

/** Median time of a whole SimCLR step on a worker pool, and the resulting rate. */
export interface PoolStepTiming {
  encoder: EncoderPreset;
  batchSize: number;
  workers: number;
  /** The whole step, including each worker's share of the augmentation. */
  stepMs: number;
  imagesPerSecond: number;
}

/**
 * Times a data-parallel SimCLR step of `encoder` on `workers` worker threads (see
 * `WorkerPoolTrainer`) on `batchSize` random 32×32 images, with the CPU preset's
 * optimizer and augmentation.
 */
export async function timePoolStep(
  encoder: EncoderPreset,
  batchSize: number,
  workers: number,
  backend: string,
  runs: number,
): Promise<PoolStepTiming> {
  const config = { ...CIFAR10_CPU, encoder, batchSize };
  const { trainer, head } = createPretrainTrainer(config);
  const pool = await WorkerPoolTrainer.start(trainer, {
    workers,
    config,
    embeddingDim: head.outputDim,
    backend,
  });
  const images = tf.randomUniform([batchSize, 32, 32, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
  let times: number[];
  try {
    times = await timeRuns(1, runs, async () => {
      await pool.step(images);
    });
  } finally {
    await pool.close();
    images.dispose();
    trainer.encoder.dispose();
    trainer.head.dispose();
    trainer.optimizer.dispose();
  }
  const stepMs = median(times);
  return { encoder, batchSize, workers, stepMs, imagesPerSecond: (1000 * batchSize) / stepMs };
}
