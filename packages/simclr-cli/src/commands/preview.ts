import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { PREVIEW_PRESETS, renderAugmentationPreview } from '../augmentation-preview';
import { loadData } from '../data';
import { integerIn, oneOf } from '../options';
import { encodePng } from '../preview-grid';
import { writeFileAtomic } from '../run-files';
import { initBackend } from '../runtime';
import { addCommonOptions, type CommonOptions } from './common';

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
    const { image: grid, rows: count } = renderAugmentationPreview(split, flags);
    const out = resolve(flags.out);
    writeFileAtomic(out, encodePng(grid));
    process.stdout.write(
      `wrote ${out}: ${count} ${flags.split} images (first column) and ${flags.views} views each, preset ${flags.preset}, seed ${flags.seed}, ${grid.width}×${grid.height} pixels\n`,
    );
  });
}
