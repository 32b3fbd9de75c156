export { createRng, type Rng, type RngState } from './rng';
export { SIMCLR_DEFAULTS, MAX_COLOR_STRENGTH, type SimclrAugmentOptions } from './simclr-options';
export { drawSimclrParams, sliceSimclrParams, type SimclrParams } from './simclr-params';
export { applySimclrParams, simclrAugment } from './simclr-augment';
export { drawCropBox, resizedCrop, type CropBox } from './resized-crop';
export {
  LUMA_WEIGHTS,
  adjustBrightness,
  adjustContrast,
  adjustSaturation,
  grayscale,
} from './color';
export { adjustHue } from './hue';
export { CIFAR10_MEAN, CIFAR10_STD, normalizeImages, type ChannelValues } from './normalize';
