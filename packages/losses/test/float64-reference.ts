// Float64 reference implementations for the tests, written with plain loops and
// sharing no code with src/.

/** Draws matrices of standard normal values from a fixed seed (mulberry32 and Box-Muller). */
export class SeededNormal {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Returns a uniform value in (0, 1). */
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const bits = (t ^ (t >>> 14)) >>> 0;
    return (bits + 0.5) / 4294967296;
  }

  normal(): number {
    const radius = Math.sqrt(-2 * Math.log(this.uniform()));
    return radius * Math.cos(2 * Math.PI * this.uniform());
  }

  /** Returns a `[rows, cols]` matrix rounded to float32, so tf and the reference see the same inputs. */
  matrix(rows: number, cols: number): number[][] {
    return Array.from({ length: rows }, () =>
      Array.from({ length: cols }, () => Math.fround(this.normal())),
    );
  }
}

/**
 * Computes NT-Xent in float64 straight from its definition in Chen et al., 2020, eq. 1:
 * the mean over all 2N anchors of −log(exp(sim(a, positive)/τ) / Σ_{k≠a} exp(sim(a, k)/τ)),
 * with sim the cosine similarity.
 */
export function naiveNtXent(z1: number[][], z2: number[][], temperature: number): number {
  const n = z1.length;
  const rows = [...z1, ...z2];
  const norms = rows.map((row) => Math.sqrt(row.reduce((total, v) => total + v * v, 0)));

  const similarity = (a: number, b: number): number => {
    let dot = 0;
    for (let d = 0; d < rows[a]!.length; d++) {
      dot += rows[a]![d]! * rows[b]![d]!;
    }
    return dot / (norms[a]! * norms[b]!);
  };

  let total = 0;
  for (let a = 0; a < 2 * n; a++) {
    const positive = a < n ? a + n : a - n;
    let denominator = 0;
    for (let k = 0; k < 2 * n; k++) {
      if (k !== a) {
        denominator += Math.exp(similarity(a, k) / temperature);
      }
    }
    total += -Math.log(Math.exp(similarity(a, positive) / temperature) / denominator);
  }
  return total / (2 * n);
}

/**
 * Estimates the gradient of `f` at `x` with central differences of step `step`,
 * one entry at a time. The result has the shape of `x`.
 */
export function centralDifferences(
  f: (x: number[][]) => number,
  x: number[][],
  step: number,
): number[][] {
  return x.map((row, i) =>
    row.map((_, j) => {
      const plus = x.map((r) => [...r]);
      const minus = x.map((r) => [...r]);
      plus[i]![j] = x[i]![j]! + step;
      minus[i]![j] = x[i]![j]! - step;
      return (f(plus) - f(minus)) / (2 * step);
    }),
  );
}
