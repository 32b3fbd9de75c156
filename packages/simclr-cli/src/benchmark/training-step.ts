import * as tf from '@tensorflow/tfjs-core';
import { createRng, simclrAugment } from '@simclr-ts/augment';
import { ntXentLoss } from '@simclr-ts/contrastive-losses';
import {
  ProjectionHead,
  createResNetEncoder,
  trainableVariables,
  type EncoderPreset,
} from '@simclr-ts/models';
import { trainingAugmentOptions } from '../pretrain-model';
import { CIFAR10_CPU } from '../presets';
import { median, timeRuns } from './timing';

/** The view generator that training uses, with the CPU preset's colour strength. */
export const TRAINING_AUGMENT = trainingAugmentOptions(CIFAR10_CPU);

/** Median milliseconds of the parts of one SimCLR step, and the resulting rate. */
export interface StepTiming {
  encoder: EncoderPreset;
  batchSize: number;
  augmentMs: number;
  forwardMs: number;
  backwardMs: number;
  updateMs: number;
  stepMs: number;
  imagesPerSecond: number;
}

/**
 * Times a SimCLR step of `encoder` on `batchSize` random 32×32 images, split
 * into its parts. The parts are two augmented views, the forward pass of
 * encoder, head and NT-Xent, the backward pass (forward and backward less the
 * forward) and the Adam update. Every part waits for its result, so the parts
 * add up to a step.
 */
export async function timeTrainingStep(
  encoder: EncoderPreset,
  batchSize: number,
  runs: number,
): Promise<StepTiming> {
  const model = createResNetEncoder(encoder, { seed: 0 });
  const head = new ProjectionHead({ inputDim: model.featureDim, seed: 1 });
  const variables = [...trainableVariables(model), ...trainableVariables(head)];
  const optimizer = tf.train.adam(1e-3);
  const rng = createRng(0);
  const images = tf.randomUniform([batchSize, 32, 32, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
  const parts = {
    augment: [] as number[],
    forward: [] as number[],
    forwardBackward: [] as number[],
    update: [] as number[],
  };

  const loss = (views: tf.Tensor4D) => {
    const embeddings = head.apply(model.apply(views, { training: true }), { training: true });
    const [z1, z2] = tf.split(embeddings, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    return ntXentLoss(z1, z2);
  };
  const time = async (target: number[], body: () => Promise<void>) => {
    const started = performance.now();
    await body();
    target.push(performance.now() - started);
  };

  await timeRuns(1, runs, async () => {
    let views!: tf.Tensor4D;
    await time(parts.augment, async () => {
      views = tf.tidy(() =>
        tf.concat([
          simclrAugment(images, rng, TRAINING_AUGMENT),
          simclrAugment(images, rng, TRAINING_AUGMENT),
        ]),
      );
      await views.data();
    });
    await time(parts.forward, async () => {
      const value = tf.tidy(() => loss(views));
      await value.data();
      value.dispose();
    });
    let grads!: ReturnType<typeof tf.variableGrads>['grads'];
    await time(parts.forwardBackward, async () => {
      const result = tf.variableGrads(() => loss(views), variables);
      grads = result.grads;
      await Promise.all(Object.values(grads).map((grad) => grad.data()));
      result.value.dispose();
    });
    await time(parts.update, async () => {
      optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
      await variables[0]!.data();
    });
    tf.dispose([views, ...Object.values(grads)]);
  });

  // The warm-up run is not timed by timeRuns but did record here.
  for (const list of Object.values(parts)) {
    list.shift();
  }
  tf.dispose(images);
  model.dispose();
  head.dispose();
  optimizer.dispose();

  const augmentMs = median(parts.augment);
  const forwardMs = median(parts.forward);
  const backwardMs = Math.max(0, median(parts.forwardBackward) - forwardMs);
  const updateMs = median(parts.update);
  const stepMs = augmentMs + forwardMs + backwardMs + updateMs;
  return {
    encoder,
    batchSize,
    augmentMs,
    forwardMs,
    backwardMs,
    updateMs,
    stepMs,
    imagesPerSecond: (1000 * batchSize) / stepMs,
  };
}
