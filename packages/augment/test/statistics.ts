// Goodness-of-fit helpers for the sampling tests. Every test draws from a fixed seed, so it
// is deterministic. The significance level is the rate at which a correct sampler would fail
// the same check under a seed picked at random.

/** Significance level of every distribution test in this package: 1 in 1,000. */
export const ALPHA = 1e-3;

/**
 * Kolmogorov–Smirnov statistic D = sup |F_n(x) - F(x)| of `samples` against the continuous
 * CDF `cdf`.
 */
export function ksStatistic(samples: readonly number[], cdf: (x: number) => number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  sorted.forEach((x, i) => {
    const expected = cdf(x);
    d = Math.max(d, (i + 1) / n - expected, expected - i / n);
  });
  return d;
}

/**
 * Critical value of D for `n` samples at level `alpha`, from the asymptotic Kolmogorov
 * distribution: sqrt(-ln(alpha / 2) / 2) / sqrt(n). At alpha 1e-3 that is 1.949 / sqrt(n),
 * 0.0195 for n = 10,000.
 */
export function ksCriticalValue(n: number, alpha = ALPHA): number {
  return Math.sqrt(-Math.log(alpha / 2) / 2) / Math.sqrt(n);
}

/** Pearson's chi-square statistic of observed counts against expected counts. */
export function chiSquare(observed: readonly number[], expected: readonly number[]): number {
  return observed.reduce((sum, count, i) => sum + (count - expected[i]!) ** 2 / expected[i]!, 0);
}

/**
 * Upper `alpha` quantile of the chi-square distribution with `df` degrees of freedom, by the
 * Wilson–Hilferty approximation (within 1% of table values for df >= 3 at alpha 1e-3:
 * 16.55 against 16.27 for df 3, 49.84 against 49.73 for df 23). `z` is the standard normal
 * quantile of 1 - alpha, 3.0902 for 1e-3.
 */
export function chiSquareCriticalValue(df: number, z = 3.0902): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

/**
 * Largest deviation of a binomial rate from p that 5 standard errors allow: a correct
 * sampler exceeds it about once in 1.7 million runs.
 */
export function rateTolerance(p: number, n: number): number {
  return 5 * Math.sqrt((p * (1 - p)) / n);
}

/** Fraction of true flags. */
export function rate(flags: readonly boolean[]): number {
  return flags.filter((flag) => flag).length / flags.length;
}

/** CDF of the uniform distribution on [lo, hi]. */
export function uniformCdf(lo: number, hi: number): (x: number) => number {
  return (x) => Math.min(1, Math.max(0, (x - lo) / (hi - lo)));
}

/**
 * Integrates `density` from `lo` to each point of a grid of `steps` intervals by the
 * trapezoid rule and returns the normalised CDF, linear between grid points.
 */
export function numericCdf(
  density: (x: number) => number,
  lo: number,
  hi: number,
  steps = 20_000,
): (x: number) => number {
  const width = (hi - lo) / steps;
  const cumulative = [0];
  for (let i = 1; i <= steps; i++) {
    const a = density(lo + (i - 1) * width);
    const b = density(lo + i * width);
    cumulative.push(cumulative[i - 1]! + ((a + b) / 2) * width);
  }
  const total = cumulative[steps]!;
  return (x) => {
    if (x <= lo) return 0;
    if (x >= hi) return 1;
    const position = (x - lo) / width;
    const i = Math.floor(position);
    const left = cumulative[i]!;
    const right = cumulative[Math.min(i + 1, steps)]!;
    return (left + (right - left) * (position - i)) / total;
  };
}
