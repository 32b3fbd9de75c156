import * as tf from '@tensorflow/tfjs-core';
import {
  loadWeights,
  readWeights,
  type NamedArray,
  type SafetensorsContents,
} from '@simclr-ts/models';
import type { SimclrTrainer } from './simclr-trainer';

/** Version of the layout below; bumped when it changes incompatibly. */
const STATE_FORMAT = '1';

/**
 * Captures everything a checkpoint needs from `trainer`: the encoder and head
 * variables (`encoder.*`, `head.*`), the optimizer's slots in update order
 * (`optimizer.N`), and as metadata the step count and the states of both
 * random streams. `metadata` adds caller fields such as the epoch.
 */
export async function captureTrainingState(
  trainer: SimclrTrainer,
  metadata: Record<string, string> = {},
): Promise<SafetensorsContents> {
  const arrays: NamedArray[] = [
    ...(await readWeights(trainer.encoder, 'encoder.')),
    ...(await readWeights(trainer.head, 'head.')),
  ];
  const slots = await trainer.optimizer.getWeights();
  for (const [index, slot] of slots.entries()) {
    arrays.push({
      name: `optimizer.${index}`,
      shape: [...slot.tensor.shape],
      values: Float32Array.from(await slot.tensor.data()),
    });
  }
  return { arrays, metadata: trainingStateMetadata(trainer, metadata) };
}

/**
 * Returns the metadata part of {@link captureTrainingState}: the format, the step count
 * and the states of both random streams, after the caller's fields in `metadata`.
 */
export function trainingStateMetadata(
  trainer: SimclrTrainer,
  metadata: Record<string, string> = {},
): Record<string, string> {
  return {
    ...metadata,
    format: STATE_FORMAT,
    step: String(trainer.stepCount),
    augmentRng: JSON.stringify(trainer.augmentRng.getState()),
    shuffleRng: JSON.stringify(trainer.shuffleRng.getState()),
  };
}

/** Loads only the encoder's variables from a captured state into `encoder`. */
export function loadEncoderWeights(
  encoder: Parameters<typeof loadWeights>[0],
  state: SafetensorsContents,
): void {
  loadWeights(
    encoder,
    state.arrays.filter((array) => array.name.startsWith('encoder.')),
    'encoder.',
  );
}

/** Restores a state from {@link captureTrainingState} into a trainer built with the same configuration. */
export async function restoreTrainingState(
  trainer: SimclrTrainer,
  state: SafetensorsContents,
): Promise<void> {
  if (state.metadata.format !== STATE_FORMAT) {
    throw new Error(
      `Unsupported checkpoint format '${state.metadata.format}': this version reads format ${STATE_FORMAT}.`,
    );
  }
  loadWeights(trainer.encoder, state.arrays, 'encoder.');
  loadWeights(trainer.head, state.arrays, 'head.');

  const slots = state.arrays
    .filter((array) => array.name.startsWith('optimizer.'))
    .sort((a, b) => Number(a.name.slice(10)) - Number(b.name.slice(10)));
  // tfjs optimizers match slots to variables by position, so the order of
  // the names above is what matters.
  await trainer.optimizer.setWeights(
    slots.map((slot) => ({ name: slot.name, tensor: tf.tensor(slot.values, slot.shape) })),
  );
  trainer.stepCount = Number(state.metadata.step);
  trainer.augmentRng.setState(JSON.parse(state.metadata.augmentRng!));
  trainer.shuffleRng.setState(JSON.parse(state.metadata.shuffleRng!));
}
