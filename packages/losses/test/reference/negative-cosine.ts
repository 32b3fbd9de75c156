import { cosine, type Matrix } from './vectors';

/** Computes −mean_i cos(p_i, z_i) in float64, the SimSiam and BYOL similarity loss. */
export function naiveNegativeCosine(p: Matrix, z: Matrix): number {
  const total = p.reduce((s, row, i) => s + cosine(row, z[i]!), 0);
  return -total / p.length;
}
