import { cosine, type Matrix } from './vectors';

/**
 * Computes DCL (Yeh et al., 2022) in float64: for each of the 2N anchors,
 * −w·sim(a, positive)/τ + log Σ_{k ∉ {a, positive}} exp(sim(a, k)/τ), averaged.
 * `sigma` undefined gives w = 1; otherwise w_i = 2 − exp(s_i/σ) / mean_j exp(s_j/σ).
 */
export function naiveDcl(z1: Matrix, z2: Matrix, temperature: number, sigma?: number): number {
  const n = z1.length;
  const rows = [...z1, ...z2];
  const pairSimilarities = z1.map((row, i) => cosine(row, z2[i]!));
  const meanPotential =
    pairSimilarities.reduce((total, s) => total + Math.exp(s / (sigma ?? 1)), 0) / n;
  const weight = (i: number) =>
    sigma === undefined ? 1 : 2 - Math.exp(pairSimilarities[i]! / sigma) / meanPotential;

  let total = 0;
  for (let a = 0; a < 2 * n; a++) {
    const pair = a % n;
    const positive = a < n ? a + n : a - n;
    let negativeSum = 0;
    for (let k = 0; k < 2 * n; k++) {
      if (k !== a && k !== positive) {
        negativeSum += Math.exp(cosine(rows[a]!, rows[k]!) / temperature);
      }
    }
    const positiveTerm = (weight(pair) * cosine(rows[a]!, rows[positive]!)) / temperature;
    total += -positiveTerm + Math.log(negativeSum);
  }
  return total / (2 * n);
}
