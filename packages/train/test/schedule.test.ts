import { describe, expect, it } from 'vitest';
import { shuffledIndices, warmupCosineLearningRate } from '../src/index';

describe('warmupCosineLearningRate', () => {
  const options = { baseLearningRate: 1, totalSteps: 110, warmupSteps: 10 };

  it.each([
    [0, 0.1],
    [4, 0.5],
    [9, 1],
    [10, 1],
    [60, 0.5],
    [110, 0],
  ])('step %i gives %f', (step, expected) => {
    expect(warmupCosineLearningRate(step, options)).toBeCloseTo(expected, 10);
  });

  it('decays monotonically after the warm-up', () => {
    let previous = Infinity;
    for (let step = 10; step <= 110; step++) {
      const rate = warmupCosineLearningRate(step, options);
      expect(rate).toBeLessThanOrEqual(previous);
      previous = rate;
    }
  });
});

describe('shuffledIndices', () => {
  it('returns a permutation', () => {
    let state = 0.123;
    const rng = { next: () => (state = (state * 9301 + 0.49297) % 1) };
    const order = shuffledIndices(100, rng);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(order)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
