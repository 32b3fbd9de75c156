import { column, mean, type Matrix } from './vectors';

export interface VicRegWeights {
  similarity: number;
  variance: number;
  covariance: number;
}

/**
 * Computes VICReg (Bardes et al., 2022) in float64 with the scaling of the authors'
 * reference code: λ·mean squared error over N·D entries + μ·(v(z1) + v(z2))/2 +
 * ν·(c(z1) + c(z2)). Here v is the mean hinge max(0, 1 − sqrt(var + 1e-4)) on the
 * unbiased variance, and c the sum of squared off-diagonal covariances divided by D.
 */
export function naiveVicReg(z1: Matrix, z2: Matrix, weights: VicRegWeights): number {
  const n = z1.length;
  const d = z1[0]!.length;

  let squaredError = 0;
  for (let b = 0; b < n; b++) {
    for (let j = 0; j < d; j++) {
      squaredError += (z1[b]![j]! - z2[b]![j]!) ** 2;
    }
  }
  const invariance = squaredError / (n * d);

  return (
    weights.similarity * invariance +
    (weights.variance * (varianceTerm(z1) + varianceTerm(z2))) / 2 +
    weights.covariance * (covarianceTerm(z1) + covarianceTerm(z2))
  );
}

function varianceTerm(z: Matrix): number {
  const d = z[0]!.length;
  let total = 0;
  for (let j = 0; j < d; j++) {
    const values = column(z, j);
    const m = mean(values);
    const variance = values.reduce((s, v) => s + (v - m) ** 2, 0) / (z.length - 1);
    total += Math.max(0, 1 - Math.sqrt(variance + 1e-4));
  }
  return total / d;
}

function covarianceTerm(z: Matrix): number {
  const n = z.length;
  const d = z[0]!.length;
  const means = Array.from({ length: d }, (_, j) => mean(column(z, j)));
  let total = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (i !== j) {
        let covariance = 0;
        for (let b = 0; b < n; b++) {
          covariance += (z[b]![i]! - means[i]!) * (z[b]![j]! - means[j]!);
        }
        covariance /= n - 1;
        total += covariance * covariance;
      }
    }
  }
  return total / d;
}
