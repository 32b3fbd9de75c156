import type { CifarDataset } from '@simclr-ts/cifar';
import {
  extractFeatures,
  knnClassify,
  linearProbe,
  takeSubset,
  type TrainableModule,
} from '@simclr-ts/train';
import { createProgress } from './progress';

/** Options of {@link evaluateEncoder}. */
export interface EvaluateOptions {
  /** Training images for the probe and the kNN bank; 0 uses the whole split. */
  trainImages: number;
  /** Test images scored; 0 uses the whole split. */
  testImages: number;
  /** Neighbours of the kNN vote. */
  k: number;
  /** Passes of Adam over the training features in the linear probe. Default 200. */
  probeEpochs?: number;
  /** Adam learning rate of the probe. Default 0.05. */
  probeLr?: number;
  /** L2 penalty on the probe's weights. Default 1e-4. */
  probeWeightDecay?: number;
  /** Training rows per probe update; 0 or undefined uses them all. */
  probeBatchSize?: number;
  /** Label shown in progress lines. */
  label: string;
}

/** Top-1 test accuracies of an encoder, in [0, 1]. */
export interface EvaluationResult {
  linearProbe: number;
  knn: number;
  trainImages: number;
  testImages: number;
  /** Linear-probe confusion matrix: `confusion[true class][predicted class]` counts test images. */
  confusion: number[][];
}

/**
 * Scores a frozen encoder: a linear probe (logistic regression on
 * L2-normalised features of the training images) and a weighted kNN (cosine
 * similarity, k neighbours, temperature 0.1), both on the test images.
 */
export async function evaluateEncoder(
  encoder: TrainableModule,
  dataset: CifarDataset,
  options: EvaluateOptions,
): Promise<EvaluationResult> {
  const train =
    options.trainImages > 0 ? takeSubset(dataset.train, options.trainImages) : dataset.train;
  const test = options.testImages > 0 ? takeSubset(dataset.test, options.testImages) : dataset.test;

  const progress = createProgress(`features (${options.label})`, 'img');
  const total = train.count + test.count;
  const started = performance.now();
  const report = (done: number) => {
    const elapsed = (performance.now() - started) / 1000;
    progress.update({
      done,
      total,
      detail: 'encoding',
      rate: done / elapsed,
      etaSeconds: (elapsed / done) * (total - done),
    });
  };
  const trainFeatures = await extractFeatures(encoder, train, {
    onProgress: (done) => report(done),
  });
  const testFeatures = await extractFeatures(encoder, test, {
    onProgress: (done) => report(train.count + done),
  });
  progress.stop();

  const probeProgress = createProgress(`linear probe (${options.label})`, 'passes');
  const probeStarted = performance.now();
  const probe = await linearProbe(trainFeatures, train.labels, testFeatures, test.labels, {
    numClasses: 10,
    iterations: options.probeEpochs,
    learningRate: options.probeLr,
    l2: options.probeWeightDecay,
    batchSize: options.probeBatchSize ? options.probeBatchSize : undefined,
    onProgress: (done, passes) => {
      const elapsed = (performance.now() - probeStarted) / 1000;
      probeProgress.update({
        done,
        total: passes,
        detail: 'fitting',
        rate: done / elapsed,
        etaSeconds: (elapsed / done) * (passes - done),
      });
    },
  });
  probeProgress.stop();
  const knn = await knnClassify(trainFeatures, train.labels, testFeatures, test.labels, {
    k: options.k,
    numClasses: 10,
  });
  return {
    linearProbe: probe.accuracy,
    knn: knn.accuracy,
    trainImages: train.count,
    testImages: test.count,
    confusion: confusionMatrix(probe.predictions, test.labels, 10),
  };
}

/** Counts `[true class][predicted class]` over `classes` classes. */
export function confusionMatrix(
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes: number,
): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) {
    matrix[labels[i]!]![predictions[i]!]! += 1;
  }
  return matrix;
}
