import * as tf from '@tensorflow/tfjs-core';

/**
 * Derives independent seeds for the layers of one model from a base seed, so
 * that the same base seed gives the same weights on every backend (tfjs draws
 * `randomNormal` and `randomUniform` values in JavaScript, not on the backend).
 */
export class SeedSequence {
  private counter = 0;

  constructor(private readonly base: number) {
    if (!Number.isFinite(base)) {
      throw new Error(`Invalid seed ${base}: expected a finite number.`);
    }
  }

  /** Returns the seed of the next layer. */
  next(): number {
    this.counter += 1;
    // Multiplying by a large odd constant spreads neighbouring bases apart.
    return (Math.imul(this.base | 0, 0x9e3779b1) + this.counter * 7919) >>> 0;
  }
}

/**
 * He (Kaiming) normal initialisation with fan-out, as torchvision's ResNet
 * initialises its convolutions (He et al., 2015, "Delving Deep into
 * Rectifiers"): std = sqrt(2 / (kh * kw * outChannels)).
 */
export function heNormalFanOut(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  const [kh, kw, , outChannels] = shape;
  const std = Math.sqrt(2 / (kh * kw * outChannels));
  return tf.randomNormal(shape, 0, std, 'float32', seed);
}

/**
 * Uniform initialisation in [-1/sqrt(fanIn), 1/sqrt(fanIn)], the default of
 * PyTorch's `nn.Linear` for weights and biases.
 */
export function uniformFanIn<R extends tf.Rank>(
  shape: tf.ShapeMap[R],
  fanIn: number,
  seed: number,
): tf.Tensor<R> {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.randomUniform(shape, -bound, bound, 'float32', seed) as tf.Tensor<R>;
}
