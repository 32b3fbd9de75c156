// The draw loop of drawSimclrParams before it was rebuilt on the op classes (package version
// 0.1.0), kept here unchanged in substance as the reference for "the same seed gives the same
// SimclrParams". It uses only the Rng primitives, so a change in any op's draws shows up.
import {
  CIFAR10_MEAN,
  CIFAR10_STD,
  SIMCLR_DEFAULTS,
  type CropBox,
  type Rng,
  type SimclrAugmentOptions,
  type SimclrParams,
} from '../src/index';

function legacyCropBox(
  imageHeight: number,
  imageWidth: number,
  rng: Rng,
  scale: readonly [number, number],
  ratio: readonly [number, number],
): CropBox {
  const area = imageHeight * imageWidth;
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * rng.uniform(scale[0], scale[1]);
    const aspectRatio = rng.logUniform(ratio[0], ratio[1]);
    const width = Math.round(Math.sqrt(targetArea * aspectRatio));
    const height = Math.round(Math.sqrt(targetArea / aspectRatio));
    if (width > 0 && width <= imageWidth && height > 0 && height <= imageHeight) {
      const top = rng.integer(0, imageHeight - height);
      const left = rng.integer(0, imageWidth - width);
      return { top, left, height, width };
    }
  }
  const imageRatio = imageWidth / imageHeight;
  let width = imageWidth;
  let height = imageHeight;
  if (imageRatio < ratio[0]) {
    height = Math.max(1, Math.round(imageWidth / ratio[0]));
  } else if (imageRatio > ratio[1]) {
    width = Math.max(1, Math.round(imageHeight * ratio[1]));
  }
  return {
    top: Math.floor((imageHeight - height) / 2),
    left: Math.floor((imageWidth - width) / 2),
    height,
    width,
  };
}

/** drawSimclrParams of version 0.1.0, for options without `colorJitterOrder: 'random'`. */
export function drawLegacySimclrParams(
  imageShape: readonly number[],
  rng: Rng,
  options: SimclrAugmentOptions = {},
): SimclrParams {
  const [batchSize, imageHeight, imageWidth] = imageShape as [number, number, number, number];
  const settings = { ...SIMCLR_DEFAULTS, ...options };
  const jitterRange = 0.8 * settings.colorStrength;
  const factorLow = Math.max(0, 1 - jitterRange);
  const factorHigh = 1 + jitterRange;
  const hueRange = 0.2 * settings.colorStrength;

  const params = {
    crops: [] as CropBox[],
    flips: [] as boolean[],
    colorJitter: [] as boolean[],
    brightness: [] as number[],
    contrast: [] as number[],
    saturation: [] as number[],
    hue: [] as number[],
    grayscale: [] as boolean[],
  };
  for (let i = 0; i < batchSize; i++) {
    params.crops.push(
      legacyCropBox(imageHeight, imageWidth, rng, settings.cropScale, settings.cropRatio),
    );
    params.flips.push(rng.bernoulli(settings.flipProbability));

    const jitter = rng.bernoulli(settings.colorJitterProbability);
    params.colorJitter.push(jitter);
    params.brightness.push(jitter ? rng.uniform(factorLow, factorHigh) : 1);
    params.contrast.push(jitter ? rng.uniform(factorLow, factorHigh) : 1);
    params.saturation.push(jitter ? rng.uniform(factorLow, factorHigh) : 1);
    params.hue.push(jitter ? rng.uniform(-hueRange, hueRange) : 0);

    params.grayscale.push(rng.bernoulli(settings.grayscaleProbability));
  }

  const normalize = settings.normalize;
  return {
    imageHeight,
    imageWidth,
    ...params,
    normalization: normalize
      ? { mean: settings.mean ?? CIFAR10_MEAN, std: settings.std ?? CIFAR10_STD }
      : null,
  };
}
