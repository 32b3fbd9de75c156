/** A source of uniform numbers in [0, 1), such as `@simclr-ts/augment`'s `Rng`. */
export interface UniformSource {
  next(): number;
}

/** Returns a random permutation of `0 .. count - 1` (Fisher–Yates shuffle, Knuth's Algorithm P). */
export function shuffledIndices(count: number, rng: UniformSource): Int32Array {
  const indices = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    indices[i] = i;
  }
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const swap = indices[i]!;
    indices[i] = indices[j]!;
    indices[j] = swap;
  }
  return indices;
}
