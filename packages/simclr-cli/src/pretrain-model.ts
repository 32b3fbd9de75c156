import {
  ProjectionHead,
  createResNetEncoder,
  type ReplicaGroup,
  type ResNetEncoder,
} from '@simclr-ts/models';
import type { SimclrAugmentOptions } from '@simclr-ts/augment';
import { SimclrTrainer } from '@simclr-ts/train';
import type { PretrainConfig } from './presets';

/**
 * Options of the view generator of training: SimCLR's pipeline with the run's colour
 * strength and the four colour-jitter operations in a random order per image, as
 * torchvision's `ColorJitter` applies them.
 */
export function trainingAugmentOptions(config: PretrainConfig): SimclrAugmentOptions {
  return { colorStrength: config.colorStrength, colorJitterOrder: 'random' };
}

/**
 * Builds the encoder, head and trainer that `config` describes, with initial weights
 * from its seed. The CLI and each worker of a data-parallel pool build it the same way.
 */
export function createPretrainTrainer(
  config: PretrainConfig,
  replicas?: ReplicaGroup,
): { trainer: SimclrTrainer; encoder: ResNetEncoder; head: ProjectionHead } {
  const encoder = createResNetEncoder(config.encoder, { seed: config.seed });
  const head = new ProjectionHead({ inputDim: encoder.featureDim, seed: config.seed + 1 });
  const trainer = new SimclrTrainer({
    encoder,
    head,
    learningRate: config.learningRate,
    optimizer: config.optimizer,
    weightDecay: config.weightDecay,
    temperature: config.temperature,
    augment: trainingAugmentOptions(config),
    seed: config.seed,
    replicas,
  });
  return { trainer, encoder, head };
}
