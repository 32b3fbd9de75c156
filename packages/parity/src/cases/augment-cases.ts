import * as tf from '@tensorflow/tfjs-core';
import {
  ColorJitter,
  GaussianBlur,
  PRESET_NAMES,
  RandomGrayscale,
  RandomHorizontalFlip,
  RandomResizedCrop,
  RandomSolarize,
  createAugmentation,
  createPreset,
  createRng,
  listAugmentations,
  type Augmentation,
} from '@simclr-ts/augment';

import { imageValues, sizeOf } from './inputs';
import type { ParityCase } from './parity-case';

/** Batch of the single-op cases: height and width differ, so a swapped axis shows. */
const OP_IMAGE_SHAPE: [number, number, number, number] = [4, 12, 16, 3];

/** Batch of the preset cases, CIFAR-sized, so the ImageNet preset's blur kernel is 3 wide. */
const PRESET_IMAGE_SHAPE: [number, number, number, number] = [4, 32, 32, 3];

/**
 * Options of each registered op. The probabilities are 0.5, so that a batch mixes images
 * that get the op with images that don't. A registered op missing here becomes a failing case.
 */
const OP_OPTIONS: Readonly<Record<string, () => object>> = {
  'random-resized-crop': () => ({ scale: [0.08, 1], ratio: [3 / 4, 4 / 3] }),
  'random-horizontal-flip': () => ({ p: 0.5 }),
  'random-vertical-flip': () => ({ p: 0.5 }),
  'color-jitter': () => ({ brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2 }),
  'random-grayscale': () => ({ p: 0.5 }),
  'gaussian-blur': () => ({ sigma: [0.1, 2.0], kernelSize: 5 }),
  'random-solarize': () => ({ threshold: 0.5, p: 0.5 }),
  normalize: () => ({ mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3] }),
  'random-apply': () => ({ transform: new ColorJitter({ brightness: 0.5, hue: 0.3 }), p: 0.5 }),
  compose: () => ({
    transforms: [
      new RandomResizedCrop(),
      new RandomHorizontalFlip(),
      new RandomSolarize({ p: 0.5 }),
      new ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 }),
      new RandomGrayscale({ p: 0.2 }),
      new GaussianBlur({ kernelSize: 3 }),
    ],
  }),
};

/**
 * Returns one case per registered augmentation op and one per SimCLR preset. Each draws its
 * parameters from a seeded generator in JavaScript and applies them with `applyParams`, so
 * only the backend differs between runs.
 */
export function augmentCases(): ParityCase[] {
  const opCases = listAugmentations().map((name, index) =>
    augmentCase(`augment/${name}`, OP_IMAGE_SHAPE, 100 + index, () => {
      const options = OP_OPTIONS[name];
      if (options === undefined) {
        throw new Error(
          `No parity options for the registered op '${name}'; add them to OP_OPTIONS.`,
        );
      }
      return createAugmentation(name, options());
    }),
  );
  const presetCases = PRESET_NAMES.map((preset, index) =>
    augmentCase(`preset/${preset}`, PRESET_IMAGE_SHAPE, 200 + index, () => createPreset(preset)),
  );
  return [...opCases, ...presetCases];
}

function augmentCase(
  name: string,
  shape: [number, number, number, number],
  seed: number,
  createOp: () => Augmentation<unknown>,
): ParityCase {
  return {
    name,
    run(digest) {
      const op = createOp();
      const params = drawMixedParams(op, shape, seed);
      digest(JSON.stringify(params));

      const images = tf.tensor4d(imageValues(seed, sizeOf(shape)), shape);
      return { output: op.applyParams(images, params) };
    },
  };
}

/**
 * Draws parameters from the generator of `seed`, or of the next seed that makes a batch mix
 * images that the op changes with images that it skips, for ops whose records carry an
 * `applied` flag. Without the mix, a case could pass while one branch never ran.
 */
function drawMixedParams(
  op: Augmentation<unknown>,
  shape: [number, number, number, number],
  seed: number,
): unknown[] {
  const attempts = 100;
  for (let candidate = seed; candidate < seed + attempts; candidate++) {
    const params = op.drawParams(shape, createRng(candidate));
    const flags = params.map((param) => (param as { applied?: unknown }).applied);
    if (!flags.every((flag) => typeof flag === 'boolean')) {
      return params;
    }
    if (flags.includes(true) && flags.includes(false)) {
      return params;
    }
  }
  throw new Error(
    `${op.name}: no seed from ${seed} to ${seed + attempts - 1} mixes applied and skipped images.`,
  );
}
