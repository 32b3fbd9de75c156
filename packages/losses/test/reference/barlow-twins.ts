import { column, mean, type Matrix } from './vectors';

/** The epsilon that barlowTwinsLoss adds to each variance, as PyTorch's BatchNorm1d. */
export const BARLOW_TWINS_EPSILON = 1e-5;

/**
 * Computes the Barlow Twins loss (Zbontar et al., 2021) in float64: features
 * standardised over the batch with the biased variance plus epsilon, C = ẑ1ᵀẑ2 / N,
 * loss = Σ_i (1 − C_ii)² + λ Σ_{i≠j} C_ij².
 */
export function naiveBarlowTwins(
  z1: Matrix,
  z2: Matrix,
  lambda: number,
  epsilon = BARLOW_TWINS_EPSILON,
): number {
  const n = z1.length;
  const d = z1[0]!.length;
  const standardised1 = standardiseColumns(z1, epsilon);
  const standardised2 = standardiseColumns(z2, epsilon);

  let loss = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let c = 0;
      for (let b = 0; b < n; b++) {
        c += standardised1[b]![i]! * standardised2[b]![j]!;
      }
      c /= n;
      loss += i === j ? (1 - c) ** 2 : lambda * c * c;
    }
  }
  return loss;
}

function standardiseColumns(z: Matrix, epsilon: number): Matrix {
  const d = z[0]!.length;
  const means = Array.from({ length: d }, (_, j) => mean(column(z, j)));
  const stds = Array.from({ length: d }, (_, j) => {
    const variance = mean(column(z, j).map((v) => (v - means[j]!) ** 2));
    return Math.sqrt(variance + epsilon);
  });
  return z.map((row) => row.map((v, j) => (v - means[j]!) / stds[j]!));
}
