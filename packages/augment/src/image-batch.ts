import * as tf from '@tensorflow/tfjs-core';

/**
 * Checks that `images` is a float32 batch `[N, H, W, C]` with N, H, W, C >= 1 and, unless
 * `channels` is 'any', C equal to `channels` (3, RGB, by default). It throws a `TypeError` or
 * `RangeError` that names `caller` and the bad value.
 */
export function assertImageBatch(
  images: tf.Tensor,
  caller: string,
  channels: number | 'any' = 3,
): asserts images is tf.Tensor4D {
  if (!(images instanceof tf.Tensor)) {
    throw new TypeError(`${caller}: images must be a tf.Tensor4D, but got ${String(images)}.`);
  }
  const shapeText = `[${images.shape.join(', ')}]`;
  if (images.rank !== 4) {
    const expected = channels === 'any' ? '[N, H, W, C]' : `[N, H, W, ${channels}]`;
    throw new RangeError(
      `${caller}: images must have rank 4 ${expected}, but got shape ${shapeText}.`,
    );
  }
  if (channels === 3 && images.shape[3] !== 3) {
    throw new RangeError(
      `${caller}: images must have 3 channels (RGB) in the last axis, but got shape ${shapeText}.`,
    );
  }
  if (channels !== 'any' && images.shape[3] !== channels) {
    throw new RangeError(
      `${caller}: images must have ${channels} channels in the last axis, but got shape ${shapeText}.`,
    );
  }
  if (images.shape.slice(0, 3).some((size) => size < 1)) {
    throw new RangeError(
      `${caller}: images must have N, H and W >= 1, but got shape ${shapeText}.`,
    );
  }
  if (images.shape[3]! < 1) {
    throw new RangeError(
      `${caller}: images must have at least 1 channel, but got shape ${shapeText}.`,
    );
  }
  if (images.dtype !== 'float32') {
    throw new TypeError(
      `${caller}: images must be float32 with values in [0, 1], but got dtype ${images.dtype}; ` +
        `convert with tf.div(tf.cast(images, 'float32'), 255).`,
    );
  }
}

/** Checks that `values` has one finite number in [min, max] per image of a batch of `batchSize`. */
export function assertPerImageValues(
  values: readonly number[],
  batchSize: number,
  name: string,
  min: number,
  max: number,
): void {
  if (values.length !== batchSize) {
    throw new RangeError(
      `${name} must have one value per image (${batchSize}), but got ${values.length} values.`,
    );
  }
  const rangeText = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
  values.forEach((value, index) => {
    if (!(Number.isFinite(value) && value >= min && value <= max)) {
      throw new RangeError(
        `${name}[${index}] must be a finite number ${rangeText}, but got ${value}.`,
      );
    }
  });
}

/** Packs one number per image into a float32 tensor `[N, 1, 1, 1]` that broadcasts over images. */
export function toPerImageTensor(values: readonly number[]): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from(values), [values.length, 1, 1, 1]);
}

/**
 * Expands one factor per image (or one for all) to a float32 tensor `[N, 1, 1, 1]`, after
 * checking each value lies in [min, max].
 */
export function perImageFactors(
  factors: number | readonly number[],
  batchSize: number,
  name: string,
  min: number,
  max: number,
): tf.Tensor4D {
  const values = typeof factors === 'number' ? new Array<number>(batchSize).fill(factors) : factors;
  assertPerImageValues(values, batchSize, name, min, max);
  return toPerImageTensor(values);
}

/** Returns true when every entry of `values` equals `identity`, so a stage can be skipped. */
export function isIdentity(values: readonly number[], identity: number): boolean {
  return values.every((value) => value === identity);
}
