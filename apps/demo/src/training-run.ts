import * as tf from '@tensorflow/tfjs-core';
import type { SimclrAugmentOptions } from '@simclr-ts/augment';
import { ProjectionHead, createResNetEncoder } from '@simclr-ts/models';
import {
  SimclrTrainer,
  extractFeatures,
  gatherImages,
  knnClassify,
  shuffledIndices,
  warmupCosineLearningRate,
  type FeatureMatrix,
} from '@simclr-ts/train';
import type { DemoSample, LabelledImages } from './sample-format';
import type { DemoSettings } from './settings';

/**
 * Options of the view generator: SimCLR's CIFAR-10 pipeline (colour strength 0.5,
 * no blur) with the four colour-jitter operations in a random order per image,
 * as torchvision's `ColorJitter` applies them and the `simclr` CLI trains.
 */
export const VIEW_OPTIONS: SimclrAugmentOptions = {
  colorStrength: 0.5,
  colorJitterOrder: 'random',
};

/** Encoder preset: a narrow ResNet-10 of 307,536 parameters with 128 features. */
export const ENCODER_PRESET = 'small';

/** Share of the steps spent on the linear learning-rate warm-up. */
const WARMUP_SHARE = 0.05;

/** Progress after one training step. */
export interface StepReport {
  /** Steps done, 1-based. */
  step: number;
  totalSteps: number;
  loss: number;
  learningRate: number;
  /** Steps per second over the run, counting only the training steps. */
  stepsPerSecond: number;
  /** Source images per second over the run, each seen as two views. */
  imagesPerSecond: number;
}

/** One kNN measurement. */
export interface KnnReport {
  /** Steps done when it was measured; 0 is the untrained encoder. */
  step: number;
  /** Top-1 accuracy of the queries, in [0, 1]. */
  accuracy: number;
  /** Seconds that feature extraction and classification took. */
  seconds: number;
}

/** Hooks that the page passes to {@link TrainingRun}; each is awaited. */
export interface RunHooks {
  onStep(report: StepReport): void | Promise<void>;
  onKnn(report: KnnReport): void | Promise<void>;
}

/** Result of a finished or stopped run. */
export interface RunResult {
  stepsDone: number;
  /** Whether {@link TrainingRun.stop} ended the run before its last step. */
  stopped: boolean;
  /** L2-normalised encoder features of the training images after the run, for the map. */
  bankFeatures: FeatureMatrix;
  /** Labels of the rows of `bankFeatures`. */
  bankLabels: Uint8Array;
}

/**
 * One SimCLR pretraining run in the page: a fresh `small` ResNet encoder and projection
 * head trained with NT-Xent (temperature 0.5) and AdamW (weight decay 1e-4) on the
 * sample's training images. The kNN monitor (k = 200 or the bank size, temperature 0.1)
 * classifies the test images against the training images before the first step, every
 * `knnEvery` steps and after the last step (once, when a stop lands on a kNN step).
 */
export class TrainingRun {
  private stopRequested = false;
  private readonly bank: LabelledImages;
  private readonly queries: LabelledImages;

  constructor(
    data: DemoSample,
    private readonly settings: DemoSettings,
    private readonly hooks: RunHooks,
  ) {
    this.bank = limit(data.train, settings.trainLimit);
    this.queries = limit(data.test, settings.testLimit);
    if (settings.batchSize > this.bank.count) {
      throw new Error(
        `Invalid batch size ${settings.batchSize}: the data has only ${this.bank.count} training images. ` +
          'Pick a smaller batch size or a larger file.',
      );
    }
  }

  /**
   * Ends the run after the step in progress. The final kNN measurement still runs,
   * unless that step already had one.
   */
  stop(): void {
    this.stopRequested = true;
  }

  /** Trains for `settings.steps` steps or until {@link stop}, and returns the final features. */
  async run(): Promise<RunResult> {
    const { seed, steps, batchSize, learningRate, knnEvery } = this.settings;
    const encoder = createResNetEncoder(ENCODER_PRESET, { seed });
    const head = new ProjectionHead({ inputDim: encoder.featureDim, seed: seed + 1 });
    const trainer = new SimclrTrainer({
      encoder,
      head,
      learningRate,
      optimizer: 'adamw',
      weightDecay: 1e-4,
      temperature: 0.5,
      augment: VIEW_OPTIONS,
      seed,
    });

    try {
      // The features of the latest kNN measurement, kept for the map at the end.
      let bankFeatures = await this.measureKnn(encoder, 0);
      let measuredStep = 0;
      const warmupSteps = Math.round(steps * WARMUP_SHARE);
      let order: Int32Array = new Int32Array(0);
      let position = 0;
      let trainingSeconds = 0;
      let step = 0;

      while (step < steps && !this.stopRequested) {
        // Each pass over the data draws a new permutation; a partial last batch is skipped.
        if (position + batchSize > order.length) {
          order = shuffledIndices(this.bank.count, trainer.shuffleRng);
          position = 0;
        }
        const learningRateNow = warmupCosineLearningRate(step, {
          baseLearningRate: learningRate,
          totalSteps: steps,
          warmupSteps,
        });
        trainer.setLearningRate(learningRateNow);

        const started = performance.now();
        const images = gatherImages(this.bank, order.subarray(position, position + batchSize));
        position += batchSize;
        let loss: number;
        try {
          loss = await trainer.step(images);
        } finally {
          images.dispose();
        }
        trainingSeconds += (performance.now() - started) / 1000;
        step += 1;

        await this.hooks.onStep({
          step,
          totalSteps: steps,
          loss,
          learningRate: learningRateNow,
          stepsPerSecond: step / trainingSeconds,
          imagesPerSecond: (step * batchSize) / trainingSeconds,
        });
        if (knnEvery > 0 && step % knnEvery === 0 && step < steps) {
          bankFeatures = await this.measureKnn(encoder, step);
          measuredStep = step;
        }
        // Lets the page redraw and handle clicks between steps.
        await tf.nextFrame();
      }

      // A stop right after a kNN step would otherwise measure the same weights twice.
      if (measuredStep !== step) {
        bankFeatures = await this.measureKnn(encoder, step);
      }
      return {
        stepsDone: step,
        stopped: step < steps,
        bankFeatures,
        bankLabels: this.bank.labels,
      };
    } finally {
      encoder.dispose();
      head.dispose();
      trainer.optimizer.dispose();
    }
  }

  private async measureKnn(
    encoder: ReturnType<typeof createResNetEncoder>,
    step: number,
  ): Promise<FeatureMatrix> {
    const started = performance.now();
    const bank = await extractFeatures(encoder, this.bank, { batchSize: 128 });
    const queries = await extractFeatures(encoder, this.queries, { batchSize: 128 });
    const { accuracy } = await knnClassify(bank, this.bank.labels, queries, this.queries.labels, {
      k: 200,
      temperature: 0.1,
      numClasses: 10,
    });
    await this.hooks.onKnn({ step, accuracy, seconds: (performance.now() - started) / 1000 });
    return bank;
  }
}

/** Returns the first `count` images of `data`, or all of them when `count` is undefined or larger. */
export function limit(data: LabelledImages, count: number | undefined): LabelledImages {
  if (count === undefined || count >= data.count) {
    return data;
  }
  const imageBytes = data.height * data.width * data.channels;
  return {
    ...data,
    count,
    images: data.images.subarray(0, count * imageBytes),
    labels: data.labels.subarray(0, count),
  };
}
