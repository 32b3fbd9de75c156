import { assertOutputSize, type OutputSize } from './functional/resized-crop';
import {
  CIFAR10_MEAN,
  CIFAR10_STD,
  IMAGENET_MEAN,
  IMAGENET_STD,
  type ChannelValues,
} from './functional/normalize';
import { JITTER_ORDERS, type JitterOrder } from './ops/color-jitter';
import { Compose } from './ops/compose';
import { Normalize } from './ops/normalize';
import { simclrTransforms } from './simclr-transforms';
import { assertBoolean, assertOneOf } from './validate';

/** Names of the presets, for {@link createPreset}. */
export const PRESET_NAMES = Object.freeze(['simclr-cifar10', 'simclr-imagenet'] as const);

/** A preset name. */
export type PresetName = (typeof PRESET_NAMES)[number];

/** Options of {@link createPreset}. */
export interface PresetOptions {
  /** Output `[height, width]` of the crop. Default: the input's size. SimCLR uses [224, 224]. */
  size?: OutputSize;
  /**
   * Append a {@link Normalize} with the preset's channel statistics. Default false, so
   * outputs stay in [0, 1].
   */
  normalize?: boolean;
  /** Order of the colour jitter steps. Default 'random', as torchvision and the official code. */
  colorJitterOrder?: JitterOrder;
}

/** Description of a preset and the sources of its settings. */
export interface PresetInfo {
  readonly name: PresetName;
  /** One line, e.g. for a command's help text. */
  readonly description: string;
  /** The sources of its settings. */
  readonly source: string;
  /** Colour strength s: jitter of 0.8s (brightness, contrast, saturation) and 0.2s (hue). */
  readonly colorStrength: number;
  /** Whether it blurs (with probability 0.5). */
  readonly blur: boolean;
  /** Channel statistics of the optional normalisation. */
  readonly mean: ChannelValues;
  readonly std: ChannelValues;
}

const PAPER =
  'Chen et al. (2020), "A Simple Framework for Contrastive Learning of Visual Representations", Appendix A';

/** The presets, by name. */
export const PRESETS: Readonly<Record<PresetName, PresetInfo>> = Object.freeze({
  'simclr-cifar10': Object.freeze({
    name: 'simclr-cifar10',
    description:
      'SimCLR views for CIFAR-10: crop area 0.08–1, flip, colour jitter at strength 0.5 (p 0.8), grayscale (p 0.2), no blur',
    source: `${PAPER}; CIFAR-10 flags of google-research/simclr (--color_jitter_strength=0.5 --use_blur=False)`,
    colorStrength: 0.5,
    blur: false,
    mean: CIFAR10_MEAN,
    std: CIFAR10_STD,
  }),
  'simclr-imagenet': Object.freeze({
    name: 'simclr-imagenet',
    description:
      'SimCLR views for ImageNet-sized images: as simclr-cifar10 at colour strength 1.0, plus Gaussian blur (p 0.5, sigma 0.1–2.0, kernel 10% of the height)',
    source: `${PAPER}; flag defaults of google-research/simclr run.py (--color_jitter_strength=1.0 --use_blur=True --image_size=224)`,
    colorStrength: 1.0,
    blur: true,
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
  }),
});

/**
 * Builds a preset pipeline by name. Each call of its `apply(images, rng)` returns one view of
 * every image, float32 in [0, 1] unless `normalize` is set.
 *
 * - 'simclr-cifar10': crop (area 0.08–1), flip, colour jitter at strength 0.5 with p 0.8,
 *   grayscale with p 0.2, no blur. The CIFAR-10 setting of the official code.
 * - 'simclr-imagenet': the same at strength 1.0, plus Gaussian blur with p 0.5, sigma
 *   uniform in [0.1, 2.0] and a kernel 10% of the image height. SimCLR trained on 224×224
 *   crops of ImageNet images, which `size: [224, 224]` reproduces.
 *
 * @param name one of {@link PRESET_NAMES}.
 * @param options see {@link PresetOptions}.
 * @throws RangeError for an unknown name or invalid options.
 * @example
 * const pipeline = createPreset('simclr-cifar10');
 * const rng = createRng(0);
 * const [view1, view2] = [pipeline.apply(images, rng), pipeline.apply(images, rng)];
 */
export function createPreset(name: PresetName, options: PresetOptions = {}): Compose {
  assertOneOf('createPreset name', name, PRESET_NAMES);
  const { size, normalize = false, colorJitterOrder = 'random' } = options;
  if (size !== undefined) {
    assertOutputSize('createPreset size', size);
  }
  assertBoolean('createPreset normalize', normalize);
  assertOneOf('createPreset colorJitterOrder', colorJitterOrder, JITTER_ORDERS);

  const info = PRESETS[name];
  const transforms = simclrTransforms({
    cropScale: [0.08, 1],
    cropRatio: [3 / 4, 4 / 3],
    size,
    flipProbability: 0.5,
    colorJitterProbability: 0.8,
    colorStrength: info.colorStrength,
    colorJitterOrder,
    grayscaleProbability: 0.2,
    blurProbability: info.blur ? 0.5 : 0,
  });
  if (normalize) {
    transforms.push(new Normalize({ mean: info.mean, std: info.std }));
  }
  return new Compose({ transforms });
}
