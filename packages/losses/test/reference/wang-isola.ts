import { unit, type Matrix } from './vectors';

function distance(a: number[], b: number[]): number {
  return Math.sqrt(a.reduce((total, v, i) => total + (v - b[i]!) ** 2, 0));
}

/** Computes L_align (Wang and Isola, 2020) in float64: mean ‖unit(z1_i) − unit(z2_i)‖^α. */
export function naiveAlignment(z1: Matrix, z2: Matrix, alpha: number): number {
  const total = z1.reduce((s, row, i) => s + distance(unit(row), unit(z2[i]!)) ** alpha, 0);
  return total / z1.length;
}

/**
 * Computes L_uniform (Wang and Isola, 2020) in float64: the log of the mean over the
 * pairs i < j of exp(−t ‖unit(z_i) − unit(z_j)‖²).
 */
export function naiveUniformity(z: Matrix, t: number): number {
  const units = z.map(unit);
  let total = 0;
  let pairs = 0;
  for (let i = 0; i < units.length; i++) {
    for (let j = i + 1; j < units.length; j++) {
      total += Math.exp(-t * distance(units[i]!, units[j]!) ** 2);
      pairs += 1;
    }
  }
  return Math.log(total / pairs);
}
