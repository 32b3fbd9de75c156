import { cosine, type Matrix } from './vectors';

/**
 * Computes InfoNCE in float64 from He et al., 2020, eq. 1: the mean over queries of
 * −log(exp(cos(q, k⁺)/τ) / (exp(cos(q, k⁺)/τ) + Σ_j exp(cos(q, n_j)/τ))).
 */
export function naiveInfoNce(
  query: Matrix,
  positiveKey: Matrix,
  negatives: Matrix,
  temperature: number,
): number {
  let total = 0;
  for (let i = 0; i < query.length; i++) {
    const positive = Math.exp(cosine(query[i]!, positiveKey[i]!) / temperature);
    let denominator = positive;
    for (const negative of negatives) {
      denominator += Math.exp(cosine(query[i]!, negative) / temperature);
    }
    total += -Math.log(positive / denominator);
  }
  return total / query.length;
}
