import * as tf from '@tensorflow/tfjs-core';

import { applyGrayscale } from './functional/color';
import { applyColorJitter, JITTER_STEPS, type ColorJitterParams } from './functional/color-jitter';
import { applyNormalization } from './functional/normalize';
import { applyResizedCrop } from './functional/resized-crop';
import { assertImageBatch, toPerImageTensor } from './image-batch';
import type { Rng } from './rng';
import type { SimclrAugmentOptions } from './simclr-options';
import { assertSimclrParams, drawSimclrParams, type SimclrParams } from './simclr-params';

/**
 * Applies drawn SimCLR parameters to a batch: resized crop with flip, colour jitter
 * (brightness, contrast, saturation, hue, clipping to [0, 1] after each, in each image's
 * `jitterOrder` or else in that fixed order), random grayscale, then per-channel
 * normalisation. Every stage is one batch of tensor ops for all images, and a stage whose
 * parameters are identity for every image is skipped.
 *
 * NOTE: with the default `colorJitterOrder: 'fixed'` every image jitters in the order
 * brightness, contrast, saturation, hue, whereas torchvision's `ColorJitter` (used by the
 * SimCLR paper's pseudo-code) and the official code draw a random order per image. The
 * factor distributions match, but the joint distribution of views differs. Draw with
 * `colorJitterOrder: 'random'` for the faithful order.
 *
 * @param images float32 `[N, H, W, 3]` in [0, 1].
 * @param params from {@link drawSimclrParams} for `images.shape`, or built by hand.
 * @returns float32 `[N, H, W, 3]`: in [0, 1] when `params.normalization` is null, otherwise
 *   normalised and no longer in [0, 1].
 */
export function applySimclrParams(images: tf.Tensor4D, params: SimclrParams): tf.Tensor4D {
  assertImageBatch(images, 'applySimclrParams');
  assertSimclrParams(params, images.shape);

  const jitter: ColorJitterParams[] = params.brightness.map((brightness, i) => ({
    brightness,
    contrast: params.contrast[i]!,
    saturation: params.saturation[i]!,
    hue: params.hue[i]!,
    order: params.jitterOrder?.[i] ?? JITTER_STEPS,
  }));

  return tf.tidy(() => {
    let view = applyResizedCrop(images, params.crops, params.flips);
    view = applyColorJitter(view, jitter, 'grayscale');

    if (params.grayscale.some((flag) => flag)) {
      const mask = toPerImageTensor(params.grayscale.map((flag) => (flag ? 1 : 0)));
      view = applyGrayscale(view, mask);
    }

    if (params.normalization !== null) {
      view = applyNormalization(view, params.normalization.mean, params.normalization.std);
    }
    return view;
  });
}

/**
 * Generates one SimCLR view of every image in a batch (Chen et al., 2020, "A Simple Framework
 * for Contrastive Learning of Visual Representations", Appendix A), with parameters drawn
 * independently per image from `rng`. Call it twice on the same batch for the two views.
 * It equals `applySimclrParams(images, drawSimclrParams(images.shape, rng, options))`.
 *
 * With the default options, each view is a random resized crop back to H×W, a left-right flip
 * with p 0.5, colour jitter with p 0.8 at strength 0.5, and grayscale with p 0.2. It is then
 * normalised with the CIFAR-10 channel statistics. The paper's Gaussian blur is left out, as
 * in the authors' CIFAR-10 setting (`--use_blur=False`). `createPreset('simclr-cifar10')`
 * builds the same steps as composable ops.
 *
 * @param images float32 `[N, H, W, 3]` in [0, 1].
 * @param rng the generator to draw from. The same state gives the same view on one backend.
 * @param options see {@link SimclrAugmentOptions} for ranges and defaults.
 * @returns float32 `[N, H, W, 3]`. With the default `normalize: true` the values are
 *   normalised and no longer in [0, 1]. With `normalize: false` they stay in [0, 1].
 * @example
 * const rng = createRng(0);
 * const [view1, view2] = [simclrAugment(batch, rng), simclrAugment(batch, rng)];
 */
export function simclrAugment(
  images: tf.Tensor4D,
  rng: Rng,
  options?: SimclrAugmentOptions,
): tf.Tensor4D {
  assertImageBatch(images, 'simclrAugment');
  const params = drawSimclrParams(images.shape, rng, options);
  return applySimclrParams(images, params);
}
