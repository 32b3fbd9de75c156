export { createRng, type Rng, type RngState } from './rng';

// The SimCLR view generator of earlier versions, used by @simclr-ts/train.
export { SIMCLR_DEFAULTS, MAX_COLOR_STRENGTH, type SimclrAugmentOptions } from './simclr-options';
export { drawSimclrParams, sliceSimclrParams, type SimclrParams } from './simclr-params';
export { applySimclrParams, simclrAugment } from './simclr-augment';

// Functional forms: pure functions of images and explicit per-image parameters.
export {
  CONTRAST_MEANS,
  LUMA_WEIGHTS,
  adjustBrightness,
  adjustContrast,
  adjustSaturation,
  grayscale,
  rgbToGrayscale,
  type ContrastMean,
} from './functional/color';
export {
  JITTER_IDENTITY,
  JITTER_STEPS,
  type ColorJitterParams,
  type JitterStep,
} from './functional/color-jitter';
export { flipLeftRight, flipUpDown } from './functional/flip';
export {
  BLUR_PADDINGS,
  gaussianBlur,
  gaussianKernel1d,
  type BlurPadding,
} from './functional/gaussian-blur';
export { adjustHue } from './functional/hue';
export {
  CIFAR10_MEAN,
  CIFAR10_STD,
  IMAGENET_MEAN,
  IMAGENET_STD,
  normalizeImages,
  type ChannelValues,
} from './functional/normalize';
export {
  resizedCrop,
  type CropBox,
  type OutputSize,
  type ResizedCropOptions,
} from './functional/resized-crop';
export { solarize } from './functional/solarize';

// Random ops: parameters drawn per image, applied by a pure function.
export {
  Augmentation,
  type AugmentationOptions,
  type FlagParams,
  type ImageSize,
  type SharedDraws,
} from './ops/augmentation';
export {
  ColorJitter,
  JITTER_ORDERS,
  type ColorJitterOptions,
  type JitterOrder,
} from './ops/color-jitter';
export { Compose, type ComposeOptions, type ComposeParams } from './ops/compose';
export {
  GaussianBlur,
  type GaussianBlurOptions,
  type GaussianBlurParams,
} from './ops/gaussian-blur';
export { Normalize, type NormalizeOptions, type NormalizeParams } from './ops/normalize';
export { RandomApply, type RandomApplyOptions, type RandomApplyParams } from './ops/random-apply';
export { RandomGrayscale, type RandomGrayscaleOptions } from './ops/random-grayscale';
export {
  RandomHorizontalFlip,
  type RandomHorizontalFlipOptions,
} from './ops/random-horizontal-flip';
export {
  RandomResizedCrop,
  drawCropBox,
  type RandomResizedCropOptions,
} from './ops/random-resized-crop';
export {
  RandomSolarize,
  type RandomSolarizeOptions,
  type RandomSolarizeParams,
} from './ops/random-solarize';
export { RandomVerticalFlip, type RandomVerticalFlipOptions } from './ops/random-vertical-flip';

// Registry of ops by name, and presets built from them.
export {
  createAugmentation,
  getAugmentation,
  listAugmentations,
  registerAugmentation,
  type AugmentationEntry,
  type BuiltInAugmentationOptions,
} from './registry';
export {
  PRESET_NAMES,
  PRESETS,
  createPreset,
  type PresetInfo,
  type PresetName,
  type PresetOptions,
} from './presets';
export type { NumberRange } from './validate';
