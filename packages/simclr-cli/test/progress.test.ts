import { describe, expect, it } from 'vitest';
import { formatRate } from '../src/progress';

describe('formatRate', () => {
  it('rounds rates from 10 up to whole numbers', () => {
    expect(formatRate(136.4)).toBe('136');
    expect(formatRate(10)).toBe('10');
  });

  it('keeps two significant digits below 10', () => {
    expect(formatRate(0.2149)).toBe('0.21');
    expect(formatRate(7.25)).toBe('7.3');
  });

  it('prints zero and non-finite rates as they are', () => {
    expect(formatRate(0)).toBe('0');
    expect(formatRate(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});
