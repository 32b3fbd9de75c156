import * as tf from '@tensorflow/tfjs-core';
import { gatherImages, validateDataset, type ImageDataset } from './dataset';
import { warmupCosineLearningRate } from './schedule';
import { shuffledIndices, type UniformSource } from './shuffle';

/**
 * What {@link pretrainSimclr} drives: a `SimclrTrainer`, or any object that runs the
 * same step elsewhere, such as a pool of data-parallel workers.
 */
export interface SimclrStepper {
  /** Stream of the epoch permutations. */
  readonly shuffleRng: UniformSource;
  /** Sets the learning rate of the next steps. */
  setLearningRate(learningRate: number): void;
  /** Runs one step on images `[N, H, W, C]` in [0, 1] and returns the loss. */
  step(images: tf.Tensor4D): Promise<number>;
}

/** Progress after one training step. */
export interface StepProgress {
  /** 0-based epoch. */
  epoch: number;
  /** 1-based step within the epoch. */
  step: number;
  stepsPerEpoch: number;
  /** Steps done since the start of training, across epochs. */
  globalStep: number;
  totalSteps: number;
  loss: number;
  learningRate: number;
  /** Source images per second over this call, each seen as two views. */
  imagesPerSecond: number;
  /** Estimated seconds until this call finishes. */
  etaSeconds: number;
}

/** Summary of one finished epoch. */
export interface EpochSummary {
  /** 0-based epoch. */
  epoch: number;
  /** Mean loss over the epoch's steps. */
  meanLoss: number;
  /** Wall time of the epoch in seconds. */
  seconds: number;
  imagesPerSecond: number;
}

/** Options of {@link pretrainSimclr}. */
export interface PretrainOptions {
  /** Number of epochs, passes over the dataset. */
  epochs: number;
  /** Images per step; each gives two views, so the encoder sees twice as many. */
  batchSize: number;
  /** Peak learning rate of the warm-up and cosine schedule. */
  learningRate: number;
  /** Epochs of linear warm-up. Default 0. */
  warmupEpochs?: number;
  /** First epoch to run, for resuming; earlier epochs count in the schedule. Default 0. */
  startEpoch?: number;
  /** Called after every step. */
  onStep?: (progress: StepProgress) => void;
  /** Called after every epoch; awaited, so a checkpoint can be written. */
  onEpochEnd?: (summary: EpochSummary) => Promise<void> | void;
  /** Stops after the current step when aborted; the epoch is then not reported as finished. */
  signal?: AbortSignal;
}

/** Result of {@link pretrainSimclr}. */
export interface PretrainResult {
  epochs: EpochSummary[];
  /** True when the signal stopped training before the last epoch ended. */
  aborted: boolean;
}

/**
 * Pretrains `trainer`'s encoder and head on `dataset` with SimCLR. Every
 * epoch visits a fresh permutation and drops the last partial batch, as
 * SimCLR does, so BatchNorm never sees a tiny batch.
 */
export async function pretrainSimclr(
  trainer: SimclrStepper,
  dataset: ImageDataset,
  options: PretrainOptions,
): Promise<PretrainResult> {
  validateDataset(dataset);
  const { epochs, batchSize, learningRate } = options;
  if (!Number.isInteger(batchSize) || batchSize < 2 || batchSize > dataset.count) {
    throw new Error(
      `Invalid batch size ${batchSize}: expected an integer from 2 to ${dataset.count} (the dataset size).`,
    );
  }
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new Error(`Invalid number of epochs ${epochs}: expected a positive integer.`);
  }
  const stepsPerEpoch = Math.floor(dataset.count / batchSize);
  const totalSteps = epochs * stepsPerEpoch;
  const warmupSteps = Math.round((options.warmupEpochs ?? 0) * stepsPerEpoch);
  const startEpoch = options.startEpoch ?? 0;
  const summaries: EpochSummary[] = [];
  const started = performance.now();
  let stepsThisCall = 0;
  const stepsToRun = (epochs - startEpoch) * stepsPerEpoch;

  for (let epoch = startEpoch; epoch < epochs; epoch++) {
    const epochStarted = performance.now();
    const order = shuffledIndices(dataset.count, trainer.shuffleRng);
    let lossSum = 0;

    for (let step = 0; step < stepsPerEpoch; step++) {
      if (options.signal?.aborted) {
        return { epochs: summaries, aborted: true };
      }
      const globalStep = epoch * stepsPerEpoch + step;
      const rate = warmupCosineLearningRate(globalStep, {
        baseLearningRate: learningRate,
        totalSteps,
        warmupSteps,
      });
      trainer.setLearningRate(rate);

      const images = gatherImages(
        dataset,
        order.subarray(step * batchSize, (step + 1) * batchSize),
      );
      let loss: number;
      try {
        loss = await trainer.step(images);
      } finally {
        images.dispose();
      }
      lossSum += loss;
      stepsThisCall += 1;

      const elapsed = (performance.now() - started) / 1000;
      options.onStep?.({
        epoch,
        step: step + 1,
        stepsPerEpoch,
        globalStep: globalStep + 1,
        totalSteps,
        loss,
        learningRate: rate,
        imagesPerSecond: (stepsThisCall * batchSize) / elapsed,
        etaSeconds: (elapsed / stepsThisCall) * (stepsToRun - stepsThisCall),
      });
      // Lets timers and signal handlers run between steps.
      await tf.nextFrame();
    }

    const seconds = (performance.now() - epochStarted) / 1000;
    const summary = {
      epoch,
      meanLoss: lossSum / stepsPerEpoch,
      seconds,
      imagesPerSecond: (stepsPerEpoch * batchSize) / seconds,
    };
    summaries.push(summary);
    await options.onEpochEnd?.(summary);
  }
  return { epochs: summaries, aborted: false };
}
