import * as tf from '@tensorflow/tfjs-core';
import type { Rng, RngState } from '@simclr-ts/augment';
import { gatherImages, validateDataset, type ImageDataset } from './dataset';
import { warmupCosineLearningRate } from './schedule';
import { shuffledIndices } from './shuffle';

/**
 * The stepper that {@link pretrainSimclr} drives: a `SimclrTrainer`, or any object that
 * runs the same step elsewhere, such as a pool of data-parallel workers.
 */
export interface SimclrStepper {
  /** Stream of the epoch permutations. */
  readonly shuffleRng: Rng;
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
  /**
   * State of the shuffle stream before this epoch's permutation was drawn. With the epoch
   * and step, it is the position that {@link PretrainOptions.resumeFrom} continues from.
   */
  epochShuffleState: RngState;
  /** Sum of this epoch's losses so far, including steps run before a resume. */
  epochLossSum: number;
  /** Seconds spent on this epoch so far, including time before a resume. */
  epochSeconds: number;
}

/** A position inside training from which {@link pretrainSimclr} can continue exactly. */
export interface TrainingPosition {
  /** 0-based epoch. */
  epoch: number;
  /** Steps of that epoch already done. */
  step: number;
  /** State of the shuffle stream before that epoch's permutation was drawn. */
  epochShuffleState: RngState;
  /** Sum of the losses of the epoch's first `step` steps, for its mean. Default 0. */
  epochLossSum?: number;
  /** Seconds spent on the epoch's first `step` steps, for its duration. Default 0. */
  epochSeconds?: number;
}

/** Summary of one finished epoch. */
export interface EpochSummary {
  /** 0-based epoch. */
  epoch: number;
  /** Mean loss over the epoch's steps, including those run before a resume. */
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
  /** First epoch to run, for resuming at an epoch boundary; earlier epochs count in the schedule. Default 0. */
  startEpoch?: number;
  /**
   * Continues from a position inside an epoch, e.g. one saved when a run was stopped: the
   * shuffle stream is set back to draw that epoch's permutation again, and its first
   * `step` steps are skipped. Overrides `startEpoch`. The stepper's other state (weights,
   * optimizer, augmentation stream) must be restored by the caller.
   */
  resumeFrom?: TrainingPosition;
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
  const startEpoch = options.resumeFrom?.epoch ?? options.startEpoch ?? 0;
  const startStep = options.resumeFrom?.step ?? 0;
  if (!Number.isInteger(startStep) || startStep < 0 || startStep > stepsPerEpoch) {
    throw new Error(
      `Invalid resume step ${startStep}: expected an integer from 0 to ${stepsPerEpoch} (steps per epoch).`,
    );
  }
  if (options.resumeFrom !== undefined) {
    trainer.shuffleRng.setState(options.resumeFrom.epochShuffleState);
  }
  const summaries: EpochSummary[] = [];
  const started = performance.now();
  let stepsThisCall = 0;
  const stepsToRun = (epochs - startEpoch) * stepsPerEpoch - startStep;

  for (let epoch = startEpoch; epoch < epochs; epoch++) {
    const epochStarted = performance.now();
    const epochShuffleState = trainer.shuffleRng.getState();
    const order = shuffledIndices(dataset.count, trainer.shuffleRng);
    const firstStep = epoch === startEpoch ? startStep : 0;
    const resumed = epoch === startEpoch ? options.resumeFrom : undefined;
    let lossSum = resumed?.epochLossSum ?? 0;
    const earlierSeconds = resumed?.epochSeconds ?? 0;

    for (let step = firstStep; step < stepsPerEpoch; step++) {
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
        epochShuffleState,
        epochLossSum: lossSum,
        epochSeconds: earlierSeconds + (performance.now() - epochStarted) / 1000,
      });
      // Lets timers and signal handlers run between steps.
      await tf.nextFrame();
    }

    const seconds = earlierSeconds + (performance.now() - epochStarted) / 1000;
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
