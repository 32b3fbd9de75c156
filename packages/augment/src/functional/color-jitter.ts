import * as tf from '@tensorflow/tfjs-core';

import { toPerImageTensor } from '../image-batch';
import { applyBrightness, applyContrast, applySaturation, type ContrastMean } from './color';
import { applyHue } from './hue';

/** One of the four adjustments of a colour jitter. */
export type JitterStep = 'brightness' | 'contrast' | 'saturation' | 'hue';

/** The jitter steps in the fixed order of earlier versions and of `color_jitter_nonrand`. */
export const JITTER_STEPS: readonly JitterStep[] = Object.freeze([
  'brightness',
  'contrast',
  'saturation',
  'hue',
]);

/** The colour jitter of one image: four factors and the order to apply them in. */
export interface ColorJitterParams {
  /** Brightness factor >= 0; 1 is identity. */
  readonly brightness: number;
  /** Contrast factor >= 0; 1 is identity. */
  readonly contrast: number;
  /** Saturation factor >= 0; 1 is identity. */
  readonly saturation: number;
  /** Hue shift in turns, in [-0.5, 0.5]; 0 is identity. */
  readonly hue: number;
  /** A permutation of {@link JITTER_STEPS}: the order in which the steps run. */
  readonly order: readonly JitterStep[];
}

/** The value of each step that leaves an image unchanged. */
export const JITTER_IDENTITY: Readonly<Record<JitterStep, number>> = Object.freeze({
  brightness: 1,
  contrast: 1,
  saturation: 1,
  hue: 0,
});

/** The three steps whose identity factor returns the input exactly. */
const EXACT_STEPS = ['brightness', 'contrast', 'saturation'] as const;

function applyStep(
  images: tf.Tensor4D,
  step: JitterStep,
  values: readonly number[],
  contrastMean: ContrastMean,
): tf.Tensor4D {
  return tf.tidy(() => {
    const factor = toPerImageTensor(values);
    switch (step) {
      case 'brightness':
        return applyBrightness(images, factor);
      case 'contrast':
        return applyContrast(images, factor, contrastMean);
      case 'saturation':
        return applySaturation(images, factor);
      case 'hue':
        return applyHue(images, factor);
    }
  });
}

/**
 * Runs rounds of brightness, contrast and saturation: in round r, image i takes step
 * `sequences[i][r]` if it has one, and the identity factor of the other steps.
 */
function applyExactRounds(
  images: tf.Tensor4D,
  params: readonly ColorJitterParams[],
  sequences: readonly (readonly JitterStep[])[],
  contrastMean: ContrastMean,
): tf.Tensor4D {
  const rounds = Math.max(0, ...sequences.map((sequence) => sequence.length));
  let view = images;
  for (let round = 0; round < rounds; round++) {
    for (const step of EXACT_STEPS) {
      const takes = sequences.map((sequence) => sequence[round] === step);
      if (!takes.some(Boolean)) {
        continue;
      }
      const values = params.map((param, i) => (takes[i] ? param[step] : JITTER_IDENTITY[step]));
      view = applyStep(view, step, values, contrastMean);
    }
  }
  return view;
}

/**
 * Applies each image's colour jitter in that image's order, clipping to [0, 1] after every
 * step. Inputs are not checked.
 *
 * Every step runs on the whole batch with per-image factors, and images that don't take a
 * step get its identity factor. For brightness, contrast and saturation the identity factor
 * returns the input exactly, so those steps can run in any number of rounds. The steps an
 * image takes before its hue shift run in up to three rounds, then one hue rotation serves
 * the batch, and up to three more rounds run the steps after it. Steps with an identity
 * factor are skipped. With the fixed order that makes one brightness, one contrast, one
 * saturation and one hue pass, as in earlier versions. A random order costs up to six rounds.
 *
 * NOTE: a hue shift of 0 changes values by float32 rounding (about 1e-7), so an image
 * without hue shift in a batch where others have one differs from the same image jittered
 * alone by that much.
 */
export function applyColorJitter(
  images: tf.Tensor4D,
  params: readonly ColorJitterParams[],
  contrastMean: ContrastMean,
): tf.Tensor4D {
  const sequences = params.map((param) =>
    param.order.filter((step) => param[step] !== JITTER_IDENTITY[step]),
  );
  const hueAt = sequences.map((sequence) => sequence.indexOf('hue'));
  const before = sequences.map((sequence, i) =>
    hueAt[i]! < 0 ? sequence : sequence.slice(0, hueAt[i]),
  );
  const after = sequences.map((sequence, i) =>
    hueAt[i]! < 0 ? [] : sequence.slice(hueAt[i]! + 1),
  );

  return tf.tidy(() => {
    let view = applyExactRounds(images, params, before, contrastMean);
    if (hueAt.some((position) => position >= 0)) {
      const shifts = params.map((param, i) => (hueAt[i]! >= 0 ? param.hue : 0));
      view = applyStep(view, 'hue', shifts, contrastMean);
    }
    view = applyExactRounds(view, params, after, contrastMean);
    return view === images ? tf.clone(images) : view;
  });
}
