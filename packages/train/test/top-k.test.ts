import { describe, expect, it } from 'vitest';
import { selectTopK } from '../src/top-k';

function reference(values: number[], k: number): number[] {
  return values
    .map((value, index) => ({ value, index }))
    .sort((a, b) => b.value - a.value)
    .slice(0, k)
    .map((entry) => entry.value)
    .sort((a, b) => a - b);
}

describe('selectTopK', () => {
  it.each([
    [1, 10],
    [5, 10],
    [10, 10],
    [7, 1000],
    [200, 5000],
  ])('finds the %i largest of %i random values', (k, length) => {
    let state = 12345 + k;
    const values = Array.from(
      { length },
      () => (state = (state * 48271) % 2147483647) / 2147483647,
    );
    const padded = Float32Array.from([9, 9, ...values]);
    const out = new Int32Array(k);
    selectTopK(padded, 2, length, k, new Int32Array(length), out);
    const selected = Array.from(out, (index) => padded[2 + index]!).sort((a, b) => a - b);
    expect(selected).toEqual(reference(Array.from(padded.subarray(2)), k));
    expect(new Set(out).size).toBe(k);
  });

  it('handles ties and constant rows', () => {
    const values = Float32Array.from([1, 1, 1, 1, 2, 2, 0, 0]);
    const out = new Int32Array(3);
    selectTopK(values, 0, values.length, 3, new Int32Array(values.length), out);
    expect(Array.from(out, (index) => values[index]).sort()).toEqual([1, 2, 2]);
    const constant = new Float32Array(6).fill(0.5);
    selectTopK(constant, 0, 6, 4, new Int32Array(6), out.subarray(0, 3));
    expect(new Set(out).size).toBe(3);
  });
});
