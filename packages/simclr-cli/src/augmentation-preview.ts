import * as tf from '@tensorflow/tfjs-core';
import {
  PRESET_NAMES,
  createPreset,
  createRng,
  simclrAugment,
  type PresetName,
  type Rng,
} from '@simclr-ts/augment';
import { gatherImages, shuffledIndices, type ImageDataset } from '@simclr-ts/train';
import { renderGrid, type RgbaImage } from './preview-grid';

/** Name of the view generator of training runs, which `--color-strength` configures. */
export const TRAINING_PREVIEW = 'training';

/**
 * View generators that previews can show, each making views in [0, 1]: the presets of
 * `@simclr-ts/augment`, and the training pipeline with a run's colour strength.
 */
export const PREVIEW_PRESETS: Readonly<
  Record<string, (images: tf.Tensor4D, rng: Rng, colorStrength?: number) => tf.Tensor4D>
> = {
  ...Object.fromEntries(
    PRESET_NAMES.map((name: PresetName) => {
      const pipeline = createPreset(name);
      return [name, (images: tf.Tensor4D, rng: Rng) => pipeline.apply(images, rng) as tf.Tensor4D];
    }),
  ),
  [TRAINING_PREVIEW]: (images, rng, colorStrength) =>
    simclrAugment(images, rng, { normalize: false, colorStrength, colorJitterOrder: 'random' }),
};

/** Options of {@link renderAugmentationPreview}. */
export interface PreviewOptions {
  preset: string;
  /** Rows: images drawn at random from the split. */
  images: number;
  /** Augmented views of each image. */
  views: number;
  seed: number;
  /** Output pixels per image pixel, each way. */
  scale: number;
  /** Colour strength passed to the preset. Default: the preset's own. */
  colorStrength?: number;
}

/**
 * Draws `options.images` images of `split` with a generator seeded by `options.seed`,
 * makes `options.views` augmented views of each, and lays them out as a grid: each row
 * the source image, then its views.
 */
export function renderAugmentationPreview(
  split: ImageDataset,
  options: PreviewOptions,
): { image: RgbaImage; rows: number } {
  const makeView = PREVIEW_PRESETS[options.preset];
  if (makeView === undefined) {
    throw new Error(
      `Unknown preview preset '${options.preset}': expected one of ${Object.keys(PREVIEW_PRESETS).join(', ')}.`,
    );
  }
  const count = Math.min(options.images, split.count);
  const root = createRng(options.seed);
  const chooser = root.split();
  const augmentRng = root.split();
  const indices = shuffledIndices(split.count, chooser).subarray(0, count);
  const images = gatherImages(split, indices);
  const views = Array.from({ length: options.views }, () =>
    tf.tidy(() => makeView(images, augmentRng, options.colorStrength)),
  );

  const imageSize = split.height * split.width * split.channels;
  const cells = [images, ...views].map((batch) => batch.dataSync() as Float32Array);
  const rows = Array.from({ length: count }, (_, row) =>
    cells.map((batch) => batch.subarray(row * imageSize, (row + 1) * imageSize)),
  );
  tf.dispose([images, ...views]);

  const image = renderGrid(rows, {
    cellHeight: split.height,
    cellWidth: split.width,
    scale: options.scale,
    gap: 2 * options.scale,
    sourceGap: 4 * options.scale,
  });
  return { image, rows: count };
}
