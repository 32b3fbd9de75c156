import * as tf from '@tensorflow/tfjs-core';
import type { FeatureMatrix } from './features';

/** Options of {@link linearProbe}. */
export interface LinearProbeOptions {
  /** Number of classes. Default: one more than the largest training label. */
  numClasses?: number;
  /** Full-batch Adam iterations. Default 500. */
  iterations?: number;
  /** Adam learning rate. Default 0.05. */
  learningRate?: number;
  /** L2 penalty on the weights (not the bias), added to the mean cross-entropy. Default 1e-4. */
  l2?: number;
}

/** Result of {@link linearProbe}. */
export interface LinearProbeResult {
  /** Top-1 accuracy on the test features, in [0, 1]. */
  accuracy: number;
  /** Predicted class of each test row. */
  predictions: Uint8Array;
  /** Mean cross-entropy on the training features after the last iteration. */
  trainLoss: number;
}

/**
 * Fits a multinomial logistic regression (softmax classifier) on frozen
 * training features and scores it on test features, the linear evaluation
 * protocol of SimCLR (Chen et al., 2020, Section 4). Features are
 * standardised per dimension with the training mean and deviation first,
 * which makes a single learning rate suit any encoder.
 */
export async function linearProbe(
  train: FeatureMatrix,
  trainLabels: Uint8Array,
  test: FeatureMatrix,
  testLabels: Uint8Array,
  options: LinearProbeOptions = {},
): Promise<LinearProbeResult> {
  checkFeatures(train, trainLabels, 'training');
  checkFeatures(test, testLabels, 'test');
  if (train.dim !== test.dim) {
    throw new Error(`Feature lengths differ: training ${train.dim}, test ${test.dim}.`);
  }
  const numClasses = options.numClasses ?? Math.max(...trainLabels) + 1;
  const iterations = options.iterations ?? 500;
  const l2 = options.l2 ?? 1e-4;

  const xTrain = tf.tensor2d(train.values, [train.count, train.dim]);
  const xTest = tf.tensor2d(test.values, [test.count, test.dim]);
  const { mean, scale } = tf.tidy(() => {
    const moments = tf.moments(xTrain, 0);
    return { mean: moments.mean, scale: tf.rsqrt(tf.add(moments.variance, 1e-8)) };
  });
  const standardize = (x: tf.Tensor2D) => tf.mul(tf.sub(x, mean), scale) as tf.Tensor2D;
  const trainInputs = tf.tidy(() => standardize(xTrain));
  const targets = tf.tidy(() => tf.oneHot(tf.tensor1d(trainLabels, 'int32'), numClasses));

  const weight = tf.tidy(() => tf.variable(tf.zeros([train.dim, numClasses])));
  const bias = tf.tidy(() => tf.variable(tf.zeros([numClasses])));
  const optimizer = tf.train.adam(options.learningRate ?? 0.05);
  let trainLoss = Number.NaN;

  for (let i = 0; i < iterations; i++) {
    const cost = optimizer.minimize(
      () => {
        const logits = tf.add(tf.matMul(trainInputs, weight), bias);
        const crossEntropy = tf.losses.softmaxCrossEntropy(targets, logits);
        return tf.add(crossEntropy, tf.mul(l2, tf.sum(tf.square(weight)))) as tf.Scalar;
      },
      i === iterations - 1,
      [weight, bias],
    );
    if (cost !== null) {
      trainLoss = (await cost.data())[0]!;
      cost.dispose();
    }
    if (i % 50 === 49) {
      await tf.nextFrame();
    }
  }

  const predicted = tf.tidy(() =>
    tf.argMax(tf.add(tf.matMul(standardize(xTest), weight), bias), 1),
  );
  const predictions = Uint8Array.from(await predicted.data());
  tf.dispose([xTrain, xTest, mean, scale, trainInputs, targets, weight, bias, predicted]);
  optimizer.dispose();
  return { accuracy: accuracyOf(predictions, testLabels), predictions, trainLoss };
}

/** Fraction of `predictions` equal to `labels`. */
export function accuracyOf(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    if (predictions[i] === labels[i]) {
      correct += 1;
    }
  }
  return correct / labels.length;
}

/** Checks that a feature matrix and its labels agree in length. */
export function checkFeatures(
  features: FeatureMatrix,
  labels: ArrayLike<number>,
  name: string,
): void {
  if (features.values.length !== features.count * features.dim) {
    throw new Error(
      `Invalid ${name} features: ${features.values.length} values for ${features.count} rows of ${features.dim}.`,
    );
  }
  if (labels.length !== features.count) {
    throw new Error(
      `Invalid ${name} labels: ${labels.length} labels for ${features.count} feature rows.`,
    );
  }
}
