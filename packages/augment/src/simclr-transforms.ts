import type { OutputSize } from './functional/resized-crop';
import type { Augmentation } from './ops/augmentation';
import { ColorJitter, type JitterOrder } from './ops/color-jitter';
import { GaussianBlur } from './ops/gaussian-blur';
import { RandomApply } from './ops/random-apply';
import { RandomGrayscale } from './ops/random-grayscale';
import { RandomHorizontalFlip } from './ops/random-horizontal-flip';
import { RandomResizedCrop } from './ops/random-resized-crop';
import type { NumberRange } from './validate';

/** Settings of {@link simclrTransforms}; each is checked by the op it configures. */
export interface SimclrTransformSettings {
  readonly cropScale: NumberRange;
  readonly cropRatio: NumberRange;
  /** Output size of the crop, or undefined to keep the input's. */
  readonly size: OutputSize | undefined;
  readonly flipProbability: number;
  readonly colorJitterProbability: number;
  /** Colour strength s: jitter of 0.8s (brightness, contrast, saturation) and 0.2s (hue). */
  readonly colorStrength: number;
  readonly colorJitterOrder: JitterOrder;
  readonly grayscaleProbability: number;
  /** Probability of a Gaussian blur (sigma 0.1–2.0, kernel 10% of the height); 0 omits it. */
  readonly blurProbability: number;
}

/**
 * Builds the ops of a SimCLR view (Chen et al., 2020, "A Simple Framework for Contrastive
 * Learning of Visual Representations", Appendix A), in the order of the paper and of the
 * official code: random resized crop, horizontal flip, colour jitter applied with a
 * probability, random grayscale, then (if `blurProbability` > 0) Gaussian blur applied with a
 * probability. Both {@link createPreset} and {@link drawSimclrParams} draw through these ops.
 */
export function simclrTransforms(settings: SimclrTransformSettings): Augmentation<unknown>[] {
  const strength = settings.colorStrength;
  const jitter = new ColorJitter({
    brightness: 0.8 * strength,
    contrast: 0.8 * strength,
    saturation: 0.8 * strength,
    hue: 0.2 * strength,
    order: settings.colorJitterOrder,
  });
  const transforms: Augmentation<unknown>[] = [
    new RandomResizedCrop({
      scale: settings.cropScale,
      ratio: settings.cropRatio,
      size: settings.size,
    }),
    new RandomHorizontalFlip({ p: settings.flipProbability }),
    new RandomApply({ transform: jitter, p: settings.colorJitterProbability }),
    new RandomGrayscale({ p: settings.grayscaleProbability }),
  ];
  if (settings.blurProbability > 0) {
    const blur = new GaussianBlur({ sigma: [0.1, 2.0], kernelSizeFraction: 0.1 });
    transforms.push(new RandomApply({ transform: blur, p: settings.blurProbability }));
  }
  return transforms;
}
