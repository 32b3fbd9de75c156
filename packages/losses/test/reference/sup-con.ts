import { cosine, type Matrix } from './vectors';

/**
 * Computes L^sup_out of Khosla et al., 2020 in float64, with both views as anchors:
 * for each anchor, the mean over its positives of −log(exp(sim/τ) / Σ_{k≠a} exp(sim/τ)),
 * then the mean over the 2N anchors.
 */
export function naiveSupCon(z1: Matrix, z2: Matrix, labels: number[], temperature: number): number {
  const rows = [...z1, ...z2];
  const classes = [...labels, ...labels];

  let total = 0;
  for (let a = 0; a < rows.length; a++) {
    let denominator = 0;
    for (let k = 0; k < rows.length; k++) {
      if (k !== a) {
        denominator += Math.exp(cosine(rows[a]!, rows[k]!) / temperature);
      }
    }

    let positiveSum = 0;
    let positiveCount = 0;
    for (let p = 0; p < rows.length; p++) {
      if (p !== a && classes[p] === classes[a]) {
        positiveSum += Math.log(Math.exp(cosine(rows[a]!, rows[p]!) / temperature) / denominator);
        positiveCount += 1;
      }
    }
    total += -positiveSum / positiveCount;
  }
  return total / rows.length;
}
