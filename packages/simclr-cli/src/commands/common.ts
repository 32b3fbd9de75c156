import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { ENCODER_PRESETS, type EncoderPreset } from '@simclr-ts/models';
import { integerIn, numberAbove, oneOf } from '../options';
import type { PretrainConfig } from '../presets';

/** Backend names that `--backend` accepts. */
export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;

/** Options every data-reading command accepts. */
export interface CommonOptions {
  data?: string;
  cacheDir?: string;
  backend?: string;
}

/** Adds `--data`, `--cache-dir` and `--backend`. */
export function addCommonOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--data <path>',
        'CIFAR-10 binary archive (.tar.gz) or extracted folder; downloads into the cache when unset',
      ).env('SIMCLR_CIFAR10'),
    )
    .addOption(
      new Option(
        '--cache-dir <path>',
        'folder for downloads and extractions (default: $XDG_CACHE_HOME/simclr-ts)',
      ).env('SIMCLR_CACHE_DIR'),
    )
    .addOption(
      new Option(
        '--backend <name>',
        `tfjs backend: ${BACKEND_NAMES.join(', ')} (default: the fastest available)`,
      ).argParser(oneOf(BACKEND_NAMES)),
    );
}

/** Pretraining options as commander parses them; unset ones fall back to a preset. */
export interface PretrainFlags extends CommonOptions {
  encoder?: EncoderPreset;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  temperature?: number;
  subset?: number;
  seed?: number;
  out?: string;
  workers?: number;
}

/** Most worker threads that `--workers` picks by default. */
const DEFAULT_MAX_WORKERS = 8;

/** Backends that run on one thread, so that worker threads speed them up. */
const SINGLE_THREADED_BACKENDS = ['wasm', 'cpu'];

/**
 * Returns the data-parallel worker threads to train with: `requested` if set, else one
 * per CPU core up to {@link DEFAULT_MAX_WORKERS}. Backends other than wasm and cpu use
 * their own threads or a GPU, so they train on 1.
 */
export function resolveWorkers(requested: number | undefined, backend: string): number {
  if (!SINGLE_THREADED_BACKENDS.includes(backend)) {
    if (requested !== undefined && requested > 1) {
      process.stderr.write(
        `notice: --workers ${requested} ignored; the ${backend} backend trains on one thread of ours\n`,
      );
    }
    return 1;
  }
  return requested ?? Math.max(1, Math.min(availableParallelism(), DEFAULT_MAX_WORKERS));
}

/** Adds the pretraining options; their defaults come from `preset`. */
export function addPretrainOptions(command: Command, preset: PretrainConfig): Command {
  return command
    .addOption(
      new Option(
        '--encoder <preset>',
        `encoder architecture: ${Object.keys(ENCODER_PRESETS).join(', ')} (default: ${preset.encoder})`,
      ).argParser(oneOf(Object.keys(ENCODER_PRESETS) as EncoderPreset[])),
    )
    .addOption(
      new Option(
        '--epochs <count>',
        `passes over the training images (default: ${preset.epochs})`,
      ).argParser(integerIn(1)),
    )
    .addOption(
      new Option(
        '--batch-size <images>',
        `images per step, each seen as two views (default: ${preset.batchSize})`,
      ).argParser(integerIn(2)),
    )
    .addOption(
      new Option(
        '--lr <rate>',
        `peak learning rate of Adam (default: ${preset.learningRate})`,
      ).argParser(numberAbove(0)),
    )
    .addOption(
      new Option(
        '--temperature <tau>',
        `NT-Xent temperature (default: ${preset.temperature})`,
      ).argParser(numberAbove(0)),
    )
    .addOption(
      new Option(
        '--subset <images>',
        `train on the first N training images; 0 uses all 50,000 (default: ${preset.subset})`,
      ).argParser(integerIn(0, 50_000)),
    )
    .addOption(
      new Option(
        '--seed <integer>',
        `seed of initialisation, augmentation and shuffling (default: ${preset.seed})`,
      ).argParser(integerIn(0, 2 ** 31 - 1)),
    )
    .addOption(
      new Option(
        '--out <folder>',
        'run folder for checkpoint and metrics (default: runs/<date-time>)',
      ),
    )
    .addOption(
      new Option(
        '--workers <count>',
        `data-parallel training threads on the wasm and cpu backends, each on its own core; results do not depend on it (default: one per CPU core, at most ${DEFAULT_MAX_WORKERS})`,
      ).argParser(integerIn(1, 64)),
    );
}

/** Merges parsed flags over a preset. */
export function resolvePretrainConfig(
  flags: PretrainFlags,
  preset: PretrainConfig,
): PretrainConfig {
  return {
    ...preset,
    encoder: flags.encoder ?? preset.encoder,
    epochs: flags.epochs ?? preset.epochs,
    batchSize: flags.batchSize ?? preset.batchSize,
    learningRate: flags.lr ?? preset.learningRate,
    temperature: flags.temperature ?? preset.temperature,
    subset: flags.subset ?? preset.subset,
    seed: flags.seed ?? preset.seed,
  };
}

/** Evaluation options as commander parses them. */
export interface EvalFlags {
  trainImages: number;
  testImages: number;
  k: number;
}

/** Adds the evaluation options. */
export function addEvalOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--train-images <count>',
        'training images for the linear probe and kNN bank; 0 uses all 50,000',
      )
        .default(0)
        .argParser(integerIn(0, 50_000)),
    )
    .addOption(
      new Option('--test-images <count>', 'test images scored; 0 uses all 10,000')
        .default(0)
        .argParser(integerIn(0, 10_000)),
    )
    .addOption(
      new Option('--k <count>', 'neighbours that vote in the kNN classifier')
        .default(200)
        .argParser(integerIn(1)),
    );
}
