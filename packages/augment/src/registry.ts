import type { Augmentation } from './ops/augmentation';
import { ColorJitter, type ColorJitterOptions } from './ops/color-jitter';
import { Compose, type ComposeOptions } from './ops/compose';
import { GaussianBlur, type GaussianBlurOptions } from './ops/gaussian-blur';
import { Normalize, type NormalizeOptions } from './ops/normalize';
import { RandomApply, type RandomApplyOptions } from './ops/random-apply';
import { RandomGrayscale, type RandomGrayscaleOptions } from './ops/random-grayscale';
import {
  RandomHorizontalFlip,
  type RandomHorizontalFlipOptions,
} from './ops/random-horizontal-flip';
import { RandomResizedCrop, type RandomResizedCropOptions } from './ops/random-resized-crop';
import { RandomSolarize, type RandomSolarizeOptions } from './ops/random-solarize';
import { RandomVerticalFlip, type RandomVerticalFlipOptions } from './ops/random-vertical-flip';

/** A registered op: how to build it from options. */
export interface AugmentationEntry {
  /** Name in kebab-case, equal to the `name` of the ops that `create` returns. */
  readonly name: string;
  /** One line on what the op does, e.g. for a command's help text. */
  readonly description: string;
  /** Builds the op. The op's class documents the options, and it throws on invalid ones. */
  create(options?: object): Augmentation<unknown>;
}

/** Options of each built-in op, by registry name. */
export interface BuiltInAugmentationOptions {
  'random-resized-crop': RandomResizedCropOptions;
  'random-horizontal-flip': RandomHorizontalFlipOptions;
  'random-vertical-flip': RandomVerticalFlipOptions;
  'color-jitter': ColorJitterOptions;
  'random-grayscale': RandomGrayscaleOptions;
  'gaussian-blur': GaussianBlurOptions;
  'random-solarize': RandomSolarizeOptions;
  normalize: NormalizeOptions;
  'random-apply': RandomApplyOptions<unknown>;
  compose: ComposeOptions;
}

const BUILT_IN: readonly AugmentationEntry[] = [
  {
    name: 'random-resized-crop',
    description: 'crop a random box of random area and aspect ratio, resize it bilinearly',
    create: (options?: RandomResizedCropOptions) => new RandomResizedCrop(options),
  },
  {
    name: 'random-horizontal-flip',
    description: 'mirror left to right with probability p',
    create: (options?: RandomHorizontalFlipOptions) => new RandomHorizontalFlip(options),
  },
  {
    name: 'random-vertical-flip',
    description: 'mirror top to bottom with probability p',
    create: (options?: RandomVerticalFlipOptions) => new RandomVerticalFlip(options),
  },
  {
    name: 'color-jitter',
    description: 'random brightness, contrast, saturation and hue, in a random order per image',
    create: (options?: ColorJitterOptions) => new ColorJitter(options),
  },
  {
    name: 'random-grayscale',
    description: 'convert to BT.601 grayscale with probability p',
    create: (options?: RandomGrayscaleOptions) => new RandomGrayscale(options),
  },
  {
    name: 'gaussian-blur',
    description: 'separable Gaussian blur with a random sigma per image',
    create: (options?: GaussianBlurOptions) => new GaussianBlur(options),
  },
  {
    name: 'random-solarize',
    description: 'invert values at or above a threshold with probability p',
    create: (options?: RandomSolarizeOptions) => new RandomSolarize(options),
  },
  {
    name: 'normalize',
    description: 'per-channel (x - mean) / std',
    create: (options?: NormalizeOptions) => new Normalize(options),
  },
  {
    name: 'random-apply',
    description: 'apply another op with probability p',
    create: (options: RandomApplyOptions<unknown>) => new RandomApply(options),
  },
  {
    name: 'compose',
    description: 'apply ops one after another',
    create: (options: ComposeOptions) => new Compose(options),
  },
];

const registry = new Map<string, AugmentationEntry>(BUILT_IN.map((entry) => [entry.name, entry]));

const NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Registers an op under `entry.name`, so {@link createAugmentation} can build it by name and
 * {@link listAugmentations} lists it. The registry lives in this module, one per loaded copy
 * of the package.
 *
 * @param entry the name (kebab-case, not yet registered), a description and a factory.
 * @throws RangeError when the name is malformed or taken.
 * @example
 * registerAugmentation({
 *   name: 'random-invert',
 *   description: 'invert with probability p',
 *   create: (options?: RandomInvertOptions) => new RandomInvert(options),
 * });
 */
export function registerAugmentation(entry: AugmentationEntry): void {
  if (typeof entry?.name !== 'string' || !NAME_PATTERN.test(entry.name)) {
    throw new RangeError(
      `registerAugmentation: name must be kebab-case such as 'random-invert', ` +
        `but got ${JSON.stringify(entry?.name)}.`,
    );
  }
  if (registry.has(entry.name)) {
    throw new RangeError(
      `registerAugmentation: '${entry.name}' is already registered; pick another name.`,
    );
  }
  if (typeof entry.create !== 'function' || typeof entry.description !== 'string') {
    throw new TypeError(
      `registerAugmentation: '${entry.name}' needs a description string and a create function.`,
    );
  }
  registry.set(entry.name, Object.freeze({ ...entry }));
}

/** Returns the registry entry of `name`, or throws a `RangeError` that lists the known names. */
export function getAugmentation(name: string): AugmentationEntry {
  const entry = registry.get(name);
  if (entry === undefined) {
    throw new RangeError(
      `Unknown augmentation '${name}'; registered names: ${listAugmentations().join(', ')}.`,
    );
  }
  return entry;
}

/**
 * Builds a registered op by name.
 *
 * @example
 * const flip = createAugmentation('random-horizontal-flip', { p: 0.5 });
 */
export function createAugmentation<K extends keyof BuiltInAugmentationOptions>(
  name: K,
  options?: BuiltInAugmentationOptions[K],
): Augmentation<unknown>;
export function createAugmentation(name: string, options?: object): Augmentation<unknown>;
export function createAugmentation(name: string, options?: object): Augmentation<unknown> {
  const op = getAugmentation(name).create(options);
  if (op.name !== name) {
    throw new RangeError(
      `The factory registered as '${name}' built an op named '${op.name}'; the names must match.`,
    );
  }
  return op;
}

/** Returns the registered names, sorted. */
export function listAugmentations(): string[] {
  return [...registry.keys()].sort();
}
