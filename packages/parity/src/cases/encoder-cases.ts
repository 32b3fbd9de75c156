import * as tf from '@tensorflow/tfjs-core';
import { ntXentLoss } from '@simclr-ts/contrastive-losses';
import {
  ProjectionHead,
  ResNetEncoder,
  combineModules,
  loadWeights,
  type Module,
  type NamedArray,
  type ResNetConfig,
} from '@simclr-ts/models';

import { imageValues, normalValues, sizeOf } from './inputs';
import type { CaseTensors, ParityCase } from './parity-case';

/** An encoder configuration, its input batch and the name of its case. */
interface EncoderSetup {
  name: string;
  config: ResNetConfig;
  /** Six images: three positive pairs for NT-Xent. */
  imageShape: [number, number, number, number];
}

/**
 * Two small ResNets that together have every layer kind of the real encoders. Channel counts
 * are multiples of 4, so BatchNorm runs the fused kernels where a backend has them (wasm
 * through `@simclr-ts/backends`).
 * - CIFAR stem and basic blocks: 3×3 convolutions at stride 1 and 2, a 1×1 downsample,
 *   BatchNorm, ReLU and global average pooling.
 * - ImageNet stem and bottleneck blocks: a 7×7 stride-2 convolution, the padded 3×3 max-pool
 *   with its composed gradient, and 1×1 convolutions inside the blocks.
 */
const ENCODER_SETUPS: readonly EncoderSetup[] = [
  {
    name: 'encoder/resnet-cifar-basic',
    config: { stemWidth: 8, widths: [8, 16], blocks: [1, 1] },
    imageShape: [6, 8, 8, 3],
  },
  {
    name: 'encoder/resnet-imagenet-bottleneck',
    config: { stemWidth: 8, widths: [4, 8], blocks: [1, 1], block: 'bottleneck', stem: 'imagenet' },
    imageShape: [6, 16, 16, 3],
  },
];

const PROJECTION_DIM = 8;

/**
 * Returns one case per encoder: a forward and backward pass with a SimCLR projection head in
 * training mode. Its outputs are the features, the projections, the NT-Xent loss of images
 * 0–2 against images 3–5, the gradient of that loss with respect to every trainable variable,
 * and BatchNorm's updated running statistics. The weights come from fixed arrays, so they are
 * the same on every backend.
 */
export function encoderCases(): ParityCase[] {
  return ENCODER_SETUPS.map((setup, index) => ({
    name: setup.name,
    run(digest) {
      const encoder = new ResNetEncoder(setup.config);
      const head = new ProjectionHead({
        inputDim: encoder.featureDim,
        hiddenDim: 16,
        outputDim: PROJECTION_DIM,
      });
      const model = combineModules({ encoder, head });
      try {
        const arrays = fixedWeights(model, 400 + 100 * index);
        digest(arrays.map((array) => `${array.name} [${array.shape}]`).join(', '));
        loadWeights(model, arrays);
        const images = tf.tensor4d(
          imageValues(500 + index, sizeOf(setup.imageShape)),
          setup.imageShape,
        );
        return forwardBackward(encoder, head, model, images);
      } finally {
        model.dispose();
      }
    },
  }));
}

function forwardBackward(
  encoder: ResNetEncoder,
  head: ProjectionHead,
  model: Module,
  images: tf.Tensor4D,
): CaseTensors {
  const half = images.shape[0] / 2;
  const named = model.namedVariables();
  const trainable = named.filter((entry) => entry.variable.trainable);

  // Tensors made inside the loss function are freed when it returns, so the features and
  // projections that the case also reports are kept. The page disposes every output.
  let features: tf.Tensor | undefined;
  let projections: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(
    () => {
      const h = encoder.apply(images, { training: true });
      const z = head.apply(h, { training: true });
      features = tf.keep(h);
      projections = tf.keep(z);
      const [z1, z2] = tf.split(z, [half, half]) as [tf.Tensor2D, tf.Tensor2D];
      return ntXentLoss(z1, z2, { temperature: 0.5 });
    },
    trainable.map((entry) => entry.variable),
  );

  const outputs: CaseTensors = { features: features!, projections: projections!, loss: value };
  for (const { name, variable } of trainable) {
    outputs[`grad ${name}`] = grads[variable.name]!;
  }
  for (const { name, variable } of named) {
    if (!variable.trainable) {
      outputs[`updated ${name}`] = tf.clone(variable);
    }
  }
  return outputs;
}

/**
 * Weights from fixed arrays: He-normal convolution and Linear weights (std √(2 / fan-in)),
 * BatchNorm scales near 1 and shifts near 0, so no ReLU is dead for the whole batch, and
 * running statistics of 0 and 1.
 */
function fixedWeights(model: Module, firstSeed: number): NamedArray[] {
  return model.namedVariables().map(({ name, variable }, index) => {
    const shape = [...variable.shape];
    const size = sizeOf(shape);
    const seed = firstSeed + index;
    let values: Float32Array;
    if (name.endsWith('running_mean')) {
      values = new Float32Array(size);
    } else if (name.endsWith('running_var')) {
      values = new Float32Array(size).fill(1);
    } else if (shape.length === 1 && name.endsWith('weight')) {
      values = normalValues(seed, size, 1, 0.1);
    } else if (shape.length === 1) {
      values = normalValues(seed, size, 0, 0.1);
    } else {
      const fanIn = size / shape[shape.length - 1]!;
      values = normalValues(seed, size, 0, Math.sqrt(2 / fanIn));
    }
    return { name, shape, values };
  });
}
