import type { EncoderPreset } from '@simclr-ts/models';
import type { LearningRateScaling, OptimizerName } from '@simclr-ts/train';

/** Everything that defines a pretraining run; saved as config.json in the run folder. */
export interface PretrainConfig {
  /** Encoder architecture preset. */
  encoder: EncoderPreset;
  /** Passes over the training images. */
  epochs: number;
  /** Source images per step; the encoder sees two views of each. */
  batchSize: number;
  /** Optimizer: Adam, AdamW, SGD with momentum 0.9, or LARS. */
  optimizer: OptimizerName;
  /**
   * Base learning rate. The peak of the warm-up and cosine schedule is this rate scaled
   * by `learningRateScaling`.
   */
  learningRate: number;
  /** Scaling of the base rate with the batch size: none, linear (× batch / 256) or sqrt. */
  learningRateScaling: LearningRateScaling;
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
  /** Epochs between kNN accuracy measurements on the test split; 0 turns the monitor off. */
  knnEvery: number;
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
  optimizer: 'adamw',
  learningRate: 2e-3,
  learningRateScaling: 'none',
  warmupEpochs: 0.2,
  weightDecay: 1e-4,
  temperature: 0.5,
  colorStrength: 0.5,
  subset: 32_000,
  seed: 0,
  knnEvery: 0,
};

/**
 * `cifar10-paper`: SimCLR's CIFAR-10 recipe, from the command in the README of
 * google-research/simclr (`--train_batch_size=512 --train_epochs=1000
 * --learning_rate=1.0 --weight_decay=1e-6 --temperature=0.5 --resnet_depth=18
 * --use_blur=False --color_jitter_strength=0.5`) with the defaults of its `run.py`
 * (LARS, linear scaling of the rate per 256 images, 10 warm-up epochs, momentum 0.9,
 * trust coefficient 0.001). The kNN monitor every 10 epochs is ours. It needs a GPU:
 * on 2 CPU cores with wasm, one epoch of ResNet-18 takes hours.
 */
export const CIFAR10_PAPER: PretrainConfig = {
  encoder: 'resnet18',
  epochs: 1000,
  batchSize: 512,
  optimizer: 'lars',
  learningRate: 1.0,
  learningRateScaling: 'linear',
  warmupEpochs: 10,
  weightDecay: 1e-6,
  temperature: 0.5,
  colorStrength: 0.5,
  subset: 0,
  seed: 0,
  knnEvery: 10,
};

/** Presets that `--preset` names. */
export const PRESETS: Readonly<Record<string, PretrainConfig>> = {
  'cifar10-cpu': CIFAR10_CPU,
  'cifar10-paper': CIFAR10_PAPER,
};
