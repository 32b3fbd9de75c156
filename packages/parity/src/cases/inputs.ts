// Deterministic test inputs, generated in JavaScript so that every backend gets the same
// numbers. tf.random would do the same today, but these must not depend on tfjs at all.
import { createRng } from '@simclr-ts/augment';

/** Uniform values in [lo, hi) from the generator of `seed`. */
export function uniformValues(seed: number, length: number, lo = 0, hi = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng.uniform(lo, hi));
}

/** Normal values N(mean, std²) from the generator of `seed`. */
export function normalValues(seed: number, length: number, mean = 0, std = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng.normal(mean, std));
}

/**
 * Pixel values k / 255 with k uniform in 0..255, as a uint8 image divided by 255 gives. They
 * never equal a threshold of 0.5 exactly, so solarize makes the same choice on every backend.
 */
export function imageValues(seed: number, length: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng.integer(0, 255) / 255);
}

/** Number of elements of a tensor of `shape`. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}
