import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { ENCODER_PRESETS, type EncoderPreset } from '@simclr-ts/models';
import {
  LEARNING_RATE_SCALINGS,
  OPTIMIZER_NAMES,
  type LearningRateScaling,
  type OptimizerName,
} from '@simclr-ts/train';
import { presetNamed, readConfigFile } from '../config-file';
import { integerIn, numberAbove, numberIn, oneOf } from '../options';
import { PRESETS, type PretrainConfig } from '../presets';

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
  preset?: string;
  config?: string;
  encoder?: EncoderPreset;
  epochs?: number;
  batchSize?: number;
  optimizer?: OptimizerName;
  lr?: number;
  lrScaling?: LearningRateScaling;
  warmupEpochs?: number;
  weightDecay?: number;
  temperature?: number;
  colorStrength?: number;
  subset?: number;
  seed?: number;
  knnEvery?: number;
  out?: string;
  workers?: number;
  maxSteps?: number;
}

/** The flags of {@link PretrainFlags} that set a field of the configuration. */
export const CONFIG_FLAGS: ReadonlyArray<[keyof PretrainFlags, keyof PretrainConfig, string]> = [
  ['encoder', 'encoder', '--encoder'],
  ['epochs', 'epochs', '--epochs'],
  ['batchSize', 'batchSize', '--batch-size'],
  ['optimizer', 'optimizer', '--optimizer'],
  ['lr', 'learningRate', '--lr'],
  ['lrScaling', 'learningRateScaling', '--lr-scaling'],
  ['warmupEpochs', 'warmupEpochs', '--warmup-epochs'],
  ['weightDecay', 'weightDecay', '--weight-decay'],
  ['temperature', 'temperature', '--temperature'],
  ['colorStrength', 'colorStrength', '--color-strength'],
  ['subset', 'subset', '--subset'],
  ['seed', 'seed', '--seed'],
  ['knnEvery', 'knnEvery', '--knn-every'],
];

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

/** Adds the pretraining options; the defaults shown are those of `preset`. */
export function addPretrainOptions(command: Command, preset: PretrainConfig): Command {
  const presetNames = Object.keys(PRESETS);
  const defaultName = presetNames.find((name) => PRESETS[name] === preset) ?? presetNames[0]!;
  const from = (value: unknown) => `(default: ${String(value)}, from ${defaultName})`;
  return command
    .addOption(
      new Option(
        '--preset <name>',
        `configuration preset: ${presetNames.join(', ')} (default: ${defaultName})`,
      ).argParser(oneOf(presetNames)),
    )
    .addOption(
      new Option(
        '--config <file>',
        'JSON or YAML file of configuration fields (and optionally preset) that override the preset; flags override the file',
      ),
    )
    .addOption(
      new Option(
        '--encoder <preset>',
        `encoder architecture: ${Object.keys(ENCODER_PRESETS).join(', ')} ${from(preset.encoder)}`,
      ).argParser(oneOf(Object.keys(ENCODER_PRESETS) as EncoderPreset[])),
    )
    .addOption(
      new Option(
        '--epochs <count>',
        `passes over the training images ${from(preset.epochs)}`,
      ).argParser(integerIn(1)),
    )
    .addOption(
      new Option(
        '--batch-size <images>',
        `images per step, each seen as two views ${from(preset.batchSize)}`,
      ).argParser(integerIn(2)),
    )
    .addOption(
      new Option(
        '--optimizer <name>',
        `optimizer: ${OPTIMIZER_NAMES.join(', ')} ${from(preset.optimizer)}`,
      ).argParser(oneOf(OPTIMIZER_NAMES)),
    )
    .addOption(
      new Option(
        '--lr <rate>',
        `base learning rate, before --lr-scaling ${from(preset.learningRate)}`,
      ).argParser(numberAbove(0)),
    )
    .addOption(
      new Option(
        '--lr-scaling <rule>',
        `peak rate from the base: none, linear (× batch / 256) or sqrt (× √batch) ${from(preset.learningRateScaling)}`,
      ).argParser(oneOf(LEARNING_RATE_SCALINGS)),
    )
    .addOption(
      new Option(
        '--warmup-epochs <epochs>',
        `epochs of linear warm-up before the cosine decay, may be fractional ${from(preset.warmupEpochs)}`,
      ).argParser(numberIn(0, Number.MAX_VALUE)),
    )
    .addOption(
      new Option(
        '--weight-decay <lambda>',
        `weight decay of convolution and linear weights ${from(preset.weightDecay)}`,
      ).argParser(numberIn(0, Number.MAX_VALUE)),
    )
    .addOption(
      new Option(
        '--temperature <tau>',
        `NT-Xent temperature ${from(preset.temperature)}`,
      ).argParser(numberAbove(0)),
    )
    .addOption(
      new Option(
        '--color-strength <s>',
        `colour jitter strength of the augmentation, 0 to 2.5 ${from(preset.colorStrength)}`,
      ).argParser(numberIn(0, 2.5)),
    )
    .addOption(
      new Option(
        '--subset <images>',
        `train on the first N training images; 0 uses all 50,000 ${from(preset.subset)}`,
      ).argParser(integerIn(0, 50_000)),
    )
    .addOption(
      new Option(
        '--seed <integer>',
        `seed of initialisation, augmentation and shuffling ${from(preset.seed)}`,
      ).argParser(integerIn(0, 2 ** 31 - 1)),
    )
    .addOption(
      new Option(
        '--knn-every <epochs>',
        `epochs between kNN accuracy measurements (k 200) of the test split against the run's training images; 0 turns them off ${from(preset.knnEvery)}`,
      ).argParser(integerIn(0)),
    )
    .addOption(
      new Option(
        '--out <folder>',
        'run folder for configuration, checkpoint, metrics and TensorBoard events (default: runs/<date-time>)',
      ),
    )
    .addOption(
      new Option(
        '--workers <count>',
        `data-parallel training threads on the wasm and cpu backends, each on its own core; every step computes the same update up to float rounding (default: one per CPU core, at most ${DEFAULT_MAX_WORKERS})`,
      ).argParser(integerIn(1, 64)),
    )
    .addOption(
      new Option(
        '--max-steps <count>',
        'stop after this many steps of this run and write a checkpoint to resume from (default: no limit)',
      ).argParser(integerIn(1)),
    );
}

/**
 * Returns the configuration that `flags` describe: the preset (`--preset`, else the
 * config file's `preset`, else `fallback`), overridden by the config file's fields, then
 * by the flags.
 */
export function resolvePretrainConfig(
  flags: PretrainFlags,
  fallback: PretrainConfig,
): PretrainConfig {
  const file = flags.config === undefined ? undefined : readConfigFile(flags.config);
  const presetName = flags.preset ?? file?.preset;
  const base =
    presetName === undefined
      ? fallback
      : presetNamed(presetName, flags.preset ? '--preset' : flags.config!);
  const config: PretrainConfig = { ...base, ...file?.fields };
  for (const [flag, field] of CONFIG_FLAGS) {
    const value = flags[flag];
    if (value !== undefined) {
      (config as unknown as Record<string, unknown>)[field] = value;
    }
  }
  return config;
}

/** Evaluation options as commander parses them. */
export interface EvalFlags {
  trainImages: number;
  testImages: number;
  k: number;
  probeEpochs: number;
  probeLr: number;
  probeWeightDecay: number;
  probeBatchSize: number;
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
    )
    .addOption(
      new Option(
        '--probe-epochs <count>',
        'passes of Adam over the training features in the linear probe',
      )
        .default(200)
        .argParser(integerIn(1)),
    )
    .addOption(
      new Option('--probe-lr <rate>', 'Adam learning rate of the linear probe')
        .default(0.05)
        .argParser(numberAbove(0)),
    )
    .addOption(
      new Option('--probe-weight-decay <lambda>', "L2 penalty on the linear probe's weights")
        .default(1e-4)
        .argParser(numberIn(0, Number.MAX_VALUE)),
    )
    .addOption(
      new Option(
        '--probe-batch-size <rows>',
        'training features per probe update; 0 uses them all at once',
      )
        .default(0)
        .argParser(integerIn(0)),
    );
}
