import { describe, expect, it } from 'vitest';
import { pca2d } from '../src/pca';

describe('pca2d', () => {
  it('finds the axes of an anisotropic cloud', () => {
    // Points spread 10 along feature 2, 3 along feature 0 and 0.1 along feature 1.
    const count = 200;
    const values = new Float32Array(count * 3);
    for (let i = 0; i < count; i++) {
      const angle = (i / count) * 2 * Math.PI;
      values[i * 3] = 3 * Math.sin(3 * angle) + 1;
      values[i * 3 + 1] = 0.1 * Math.cos(5 * angle) - 2;
      values[i * 3 + 2] = 10 * Math.cos(angle) + 4;
    }
    const { points, explained } = pca2d(values, count, 3);

    // The first component is feature 2 up to sign, the second feature 0.
    for (let i = 0; i < count; i++) {
      expect(Math.abs(points[i * 2]!)).toBeCloseTo(Math.abs(values[i * 3 + 2]! - 4), 3);
      expect(Math.abs(points[i * 2 + 1]!)).toBeCloseTo(Math.abs(values[i * 3]! - 1), 3);
    }
    // Variances 50, 4.5 and 0.005 of a total of 54.505.
    expect(explained[0]).toBeCloseTo(50 / 54.505, 4);
    expect(explained[1]).toBeCloseTo(4.5 / 54.505, 4);
  });

  it('rejects a length that does not match the shape', () => {
    expect(() => pca2d(new Float32Array(5), 2, 3)).toThrow(
      'Invalid PCA input: 5 values for 2 rows of 3.',
    );
  });
});
