import { describe, expect, it } from 'vitest';

import { compareOutput, compareOutputs, withinBounds } from '../src/compare';
import type { CaseOutput } from '../src/types';

function output(values: number[], name = 'value', shape = [values.length]): CaseOutput {
  return { name, shape, values };
}

describe('compareOutput', () => {
  it('passes identical outputs with zero bounds', () => {
    const comparison = compareOutput(output([1, -2, 3]), output([1, -2, 3]), { atol: 0, rtol: 0 });
    expect(comparison.maxAbs).toBe(0);
    expect(comparison.worstRatio).toBe(0);
    expect(withinBounds(comparison)).toBe(true);
  });

  it('bounds each element by atol + rtol·|ref|', () => {
    const bounds = { atol: 1e-3, rtol: 1e-2 };
    // Allowed: 0.001 + 0.01 · 100 = 1.001 for the first element, 0.001 for the second.
    const passing = compareOutput(output([100, 0]), output([101, 0.0005]), bounds);
    expect(withinBounds(passing)).toBe(true);

    const failing = compareOutput(output([100, 0]), output([100, 0.002]), bounds);
    expect(withinBounds(failing)).toBe(false);
    expect(failing.worstIndex).toBe(1);
    expect(failing.worstRatio).toBeCloseTo(2, 10);
    expect(failing.maxAbs).toBeCloseTo(0.002, 10);
  });

  it('leaves elements within atol of zero out of the relative error', () => {
    const comparison = compareOutput(output([1e-9, 2]), output([2e-9, 2.002]), {
      atol: 1e-6,
      rtol: 0,
    });
    expect(comparison.maxRel).toBeCloseTo(1e-3, 10);
  });

  it('reports a shape mismatch', () => {
    const comparison = compareOutput(
      output([1, 2, 3, 4], 'x', [2, 2]),
      output([1, 2, 3, 4], 'x', [4]),
      { atol: 1, rtol: 1 },
    );
    expect(comparison.mismatch).toMatch(/shape \[4\] differs from the reference's \[2,2\]/);
    expect(withinBounds(comparison)).toBe(false);
  });

  it('accepts NaN only where the reference has NaN', () => {
    const bounds = { atol: 1, rtol: 0 };
    expect(withinBounds(compareOutput(output([NaN, 1]), output([NaN, 1]), bounds))).toBe(true);
    const comparison = compareOutput(output([0, 1]), output([NaN, 1]), bounds);
    expect(comparison.mismatch).toBe('element 0 is NaN, the reference is 0');
  });

  it('requires equal infinities', () => {
    const bounds = { atol: 1, rtol: 1 };
    expect(withinBounds(compareOutput(output([Infinity]), output([Infinity]), bounds))).toBe(true);
    expect(withinBounds(compareOutput(output([Infinity]), output([-Infinity]), bounds))).toBe(
      false,
    );
    expect(withinBounds(compareOutput(output([1e30]), output([Infinity]), bounds))).toBe(false);
  });
});

describe('compareOutputs', () => {
  it('matches outputs by name', () => {
    const reference = [output([1], 'a'), output([2], 'b')];
    const actual = [output([2], 'b'), output([1], 'a')];
    const comparisons = compareOutputs(reference, actual, { atol: 0, rtol: 0 });
    expect(comparisons.map((comparison) => comparison.name)).toEqual(['a', 'b']);
    expect(comparisons.every(withinBounds)).toBe(true);
  });

  it('reports outputs missing on either side', () => {
    const comparisons = compareOutputs([output([1], 'a')], [output([1], 'b')], {
      atol: 0,
      rtol: 0,
    });
    expect(comparisons.map((comparison) => [comparison.name, comparison.mismatch])).toEqual([
      ['a', 'missing from the backend run'],
      ['b', 'missing from the reference run'],
    ]);
  });
});
