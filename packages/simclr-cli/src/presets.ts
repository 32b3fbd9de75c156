import type { EncoderPreset } from '@simclr-ts/models';
import type { OptimizerName } from '@simclr-ts/train';

/** Everything that defines a pretraining run; saved as config.json in the run folder. */
export interface PretrainConfig {
  /** Encoder architecture preset. */
  encoder: EncoderPreset;
  /** Passes over the training images. */
  epochs: number;
  /** Source images per step; the encoder sees two views of each. */
  batchSize: number;
  /** Optimizer: Adam, or SGD with momentum 0.9. */
  optimizer: OptimizerName;
  /** Peak learning rate of the warm-up and cosine schedule. */
  learningRate: number;
  /** Epochs of linear warm-up at the start. */
  warmupEpochs: number;
  /** Decoupled weight decay on convolution and linear weights. */
  weightDecay: number;
  /** NT-Xent temperature. */
  temperature: number;
  /** Colour jitter strength s of the SimCLR augmentation. */
  colorStrength: number;
  /** Training images used, from the start of the training split; 0 uses all 50,000. */
  subset: number;
  /** Seed of initialisation, augmentation and shuffling. */
  seed: number;
}

/**
 * `cifar10-cpu`: one epoch over the first 32,000 training images with the
 * `small` encoder, so that `simclr quickstart` pretrains and evaluates in about
 * 7.5 minutes on 2 cores of an AMD EPYC with the wasm backend. It uses Adam with a
 * short warm-up because LARS, SimCLR's optimizer, is not implemented yet. The
 * temperature and colour strength are SimCLR's CIFAR-10 values (Chen et al.,
 * 2020, Appendix B.9).
 */
export const CIFAR10_CPU: PretrainConfig = {
  encoder: 'small',
  epochs: 1,
  batchSize: 128,
  optimizer: 'adam',
  learningRate: 2e-3,
  warmupEpochs: 0.2,
  weightDecay: 1e-4,
  temperature: 0.5,
  colorStrength: 0.5,
  subset: 32_000,
  seed: 0,
};
