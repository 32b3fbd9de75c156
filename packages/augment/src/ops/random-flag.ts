import type { Rng } from '../rng';
import { assertProbability } from '../validate';
import {
  Augmentation,
  assertFlagParam,
  type AugmentationOptions,
  type FlagParams,
  type ImageSize,
} from './augmentation';

/**
 * Base of the ops that apply a fixed transform to each image with probability `p`. They
 * draw one uniform per image into `{ applied }`, and subclasses only implement
 * `applyBatch`.
 */
export abstract class RandomFlagAugmentation extends Augmentation<FlagParams> {
  readonly p: number;

  /**
   * @param label name of the op in error messages, e.g. 'RandomHorizontalFlip'.
   * @param defaultP probability when `options.p` is unset.
   */
  constructor(options: AugmentationOptions & { p?: number }, label: string, defaultP: number) {
    super(options);
    const { p = defaultP } = options;
    assertProbability(`${label} p`, p);
    this.p = p;
  }

  override identityParams(): FlagParams {
    return { applied: false };
  }

  protected drawOne(_size: ImageSize, rng: Rng): FlagParams {
    return { applied: rng.bernoulli(this.p) };
  }

  protected assertParam(param: FlagParams, _size: ImageSize, name: string): void {
    assertFlagParam(param, name);
  }
}
