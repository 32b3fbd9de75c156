import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Command, Option } from 'commander';
import { createRng, simclrAugment, type Rng } from '@simclr-ts/augment';
import { gatherImages, shuffledIndices } from '@simclr-ts/train';
import { loadData } from '../data';
import { integerIn, oneOf } from '../options';
import { encodePng, renderGrid } from '../preview-grid';
import { writeFileAtomic } from '../run-files';
import { initBackend } from '../runtime';
import { addCommonOptions, type CommonOptions } from './common';

/** Augmentation presets that `--preset` accepts, each making views in [0, 1]. */
const PREVIEW_PRESETS: Record<string, (images: tf.Tensor4D, rng: Rng) => tf.Tensor4D> = {
  'simclr-cifar10': (images, rng) => simclrAugment(images, rng, { normalize: false }),
};

interface PreviewFlags extends CommonOptions {
  preset: string;
  images: number;
  views: number;
  seed: number;
  scale: number;
  split: 'train' | 'test';
  out: string;
}

/** `simclr preview`: a PNG grid of CIFAR-10 images and augmented views of each. */
export function previewCommand(): Command {
  const presets = Object.keys(PREVIEW_PRESETS);
  const command = new Command('preview')
    .description(
      'write a PNG grid: each row a CIFAR-10 image, then augmented views of it from the preset',
    )
    .addOption(
      new Option('--preset <name>', `augmentation preset: ${presets.join(', ')}`)
        .default('simclr-cifar10')
        .argParser(oneOf(presets)),
    )
    .addOption(
      new Option('--images <count>', 'rows: images drawn at random from the split')
        .default(8)
        .argParser(integerIn(1, 64)),
    )
    .addOption(
      new Option('--views <count>', 'augmented views of each image')
        .default(6)
        .argParser(integerIn(1, 32)),
    )
    .addOption(
      new Option('--seed <integer>', 'seed of the image choice and the augmentation')
        .default(0)
        .argParser(integerIn(0, 2 ** 31 - 1)),
    )
    .addOption(
      new Option('--scale <factor>', 'output pixels per image pixel, each way')
        .default(4)
        .argParser(integerIn(1, 16)),
    )
    .addOption(
      new Option('--split <name>', 'CIFAR-10 split to draw from: train or test')
        .default('test')
        .argParser(oneOf(['train', 'test'] as const)),
    )
    .addOption(new Option('--out <file>', 'PNG file to write').default('augment-preview.png'));
  addCommonOptions(command);
  return command.action(async (flags: PreviewFlags) => {
    await initBackend(flags.backend);
    const dataset = await loadData(flags);
    const split = dataset[flags.split];
    const count = Math.min(flags.images, split.count);

    const root = createRng(flags.seed);
    const chooser = root.split();
    const augmentRng = root.split();
    const indices = shuffledIndices(split.count, chooser).subarray(0, count);
    const images = gatherImages(split, indices);
    const makeView = PREVIEW_PRESETS[flags.preset]!;
    const views = Array.from({ length: flags.views }, () =>
      tf.tidy(() => makeView(images, augmentRng)),
    );

    const imageSize = split.height * split.width * split.channels;
    const cells = [images, ...views].map((batch) => batch.dataSync() as Float32Array);
    const rows = Array.from({ length: count }, (_, row) =>
      cells.map((batch) => batch.subarray(row * imageSize, (row + 1) * imageSize)),
    );
    tf.dispose([images, ...views]);

    const grid = renderGrid(rows, {
      cellHeight: split.height,
      cellWidth: split.width,
      scale: flags.scale,
      gap: 2 * flags.scale,
      sourceGap: 4 * flags.scale,
    });
    const out = resolve(flags.out);
    writeFileAtomic(out, encodePng(grid));
    process.stdout.write(
      `wrote ${out}: ${count} ${flags.split} images (first column) and ${flags.views} views each, preset ${flags.preset}, seed ${flags.seed}, ${grid.width}×${grid.height} pixels\n`,
    );
  });
}
