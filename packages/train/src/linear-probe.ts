import * as tf from '@tensorflow/tfjs-core';
import type { FeatureMatrix } from './features';

/** Options of {@link linearProbe}. */
export interface LinearProbeOptions {
  /** Number of classes. Default: one more than the largest training label. */
  numClasses?: number;
  /**
   * Passes (epochs) of Adam over the training features. Default 200: with full batches on
   * features of the `small` encoder, 500 scored no higher.
   */
  iterations?: number;
  /**
   * Training rows per Adam update, taken as consecutive chunks. Default: all of them, one
   * full-batch update per pass.
   */
  batchSize?: number;
  /** Adam learning rate. Default 0.05. */
  learningRate?: number;
  /** L2 penalty on the weights (not the bias), added to the mean cross-entropy. Default 1e-4. */
  l2?: number;
  /** Called after every 50 passes and after the last, with the passes done and the total. */
  onProgress?: (done: number, total: number) => void;
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
  checkFeaturePair(train, trainLabels, test, testLabels);
  const numClasses = options.numClasses ?? Math.max(...trainLabels) + 1;
  const iterations = options.iterations ?? 200;
  const l2 = options.l2 ?? 1e-4;

  const xTrain = tf.tensor2d(train.values, [train.count, train.dim]);
  const xTest = tf.tensor2d(test.values, [test.count, test.dim]);
  const { mean, scale } = tf.tidy(() => {
    const moments = tf.moments(xTrain, 0);
    return { mean: moments.mean, scale: tf.rsqrt(tf.add(moments.variance, 1e-8)) };
  });
  const standardize = (x: tf.Tensor2D) => tf.mul(tf.sub(x, mean), scale) as tf.Tensor2D;
  const inputs = tf.tidy(() => standardize(xTrain));
  // The int32 one-hot is cast because wasm's float32 oneHot is wrong in tfjs 4.22.
  const targets = tf.tidy(
    () =>
      tf.cast(tf.oneHot(tf.tensor1d(trainLabels, 'int32'), numClasses), 'float32') as tf.Tensor2D,
  );
  const batches = probeBatches(inputs, targets, options.batchSize ?? train.count);

  const weight = tf.tidy(() => tf.variable(tf.zeros([train.dim, numClasses])));
  const bias = tf.tidy(() => tf.variable(tf.zeros([numClasses])));
  const optimizer = tf.train.adam(options.learningRate ?? 0.05);

  // The gradient of mean cross-entropy + l2·‖W‖² is written out, which avoids
  // the transposed products of automatic differentiation:
  // G = (softmax(XW + b) − Y) / N, dW = XᵀG + 2·l2·W, db = 1ᵀG.
  for (let i = 0; i < iterations; i++) {
    for (const batch of batches) {
      const grads = tf.tidy(() => {
        const probabilities = tf.softmax(tf.add(tf.matMul(batch.inputs, weight), bias));
        const residual = tf.div(tf.sub(probabilities, batch.targets), batch.count);
        return [
          {
            name: weight.name,
            tensor: tf.add(tf.matMul(batch.inputsT, residual), tf.mul(weight, 2 * l2)),
          },
          { name: bias.name, tensor: tf.reshape(tf.matMul(batch.ones, residual), [numClasses]) },
        ];
      });
      optimizer.applyGradients(grads);
      tf.dispose(grads.map((grad) => grad.tensor));
    }
    if (i % 50 === 49 || i === iterations - 1) {
      options.onProgress?.(i + 1, iterations);
      await tf.nextFrame();
    }
  }

  const loss = tf.tidy(() => {
    const logits = tf.add(tf.matMul(inputs, weight), bias);
    const crossEntropy = tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1)));
    return tf.add(crossEntropy, tf.mul(l2, tf.sum(tf.square(weight))));
  });
  const trainLoss = (await loss.data())[0]!;
  const predicted = tf.tidy(() =>
    tf.argMax(tf.add(tf.matMul(standardize(xTest), weight), bias), 1),
  );
  const predictions = Uint8Array.from(await predicted.data());
  tf.dispose(batches.flatMap((batch) => [batch.inputs, batch.inputsT, batch.targets, batch.ones]));
  tf.dispose([xTrain, xTest, mean, scale, inputs, targets, weight, bias, loss, predicted]);
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

/** Checks training and test features: labels match rows, and both have one feature length. */
export function checkFeaturePair(
  train: FeatureMatrix,
  trainLabels: ArrayLike<number>,
  test: FeatureMatrix,
  testLabels: ArrayLike<number>,
): void {
  checkFeatures(train, trainLabels, 'training');
  checkFeatures(test, testLabels, 'test');
  if (train.dim !== test.dim) {
    throw new Error(`Feature lengths differ: training ${train.dim}, test ${test.dim}.`);
  }
}

/** Checks that a feature matrix and its labels agree in length. */
function checkFeatures(features: FeatureMatrix, labels: ArrayLike<number>, name: string): void {
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

/** Rows of the probe's training set for one Adam update, with what the gradient needs. */
interface ProbeBatch {
  inputs: tf.Tensor2D;
  /** `inputs` transposed once: wasm's matMul with a transposed operand is slow. */
  inputsT: tf.Tensor2D;
  targets: tf.Tensor2D;
  /** A row of ones that sums the residual over the batch. */
  ones: tf.Tensor2D;
  count: number;
}

/** Splits the standardised inputs and targets into consecutive chunks of `batchSize` rows. */
function probeBatches(inputs: tf.Tensor2D, targets: tf.Tensor2D, batchSize: number): ProbeBatch[] {
  const [count, dim] = inputs.shape;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`Invalid probe batch size ${batchSize}: expected a positive integer.`);
  }
  const batches: ProbeBatch[] = [];
  for (let start = 0; start < count; start += batchSize) {
    const rows = Math.min(batchSize, count - start);
    const whole = rows === count;
    const batchInputs = whole ? inputs.clone() : tf.slice(inputs, [start, 0], [rows, dim]);
    batches.push({
      inputs: batchInputs,
      inputsT: tf.transpose(batchInputs),
      targets: whole ? targets.clone() : tf.slice(targets, [start, 0], [rows, targets.shape[1]]),
      ones: tf.ones([1, rows]),
      count: rows,
    });
  }
  return batches;
}
