// Small float64 vector helpers for the reference implementations. They share no
// code with src/.

export type Matrix = number[][];

export function dot(a: number[], b: number[]): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    total += a[i]! * b[i]!;
  }
  return total;
}

export function cosine(a: number[], b: number[]): number {
  return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
}

/** Returns `row` divided by its L2 norm. */
export function unit(row: number[]): number[] {
  const norm = Math.sqrt(dot(row, row));
  return row.map((v) => v / norm);
}

/** Returns column `d` of `matrix`. */
export function column(matrix: Matrix, d: number): number[] {
  return matrix.map((row) => row[d]!);
}

export function mean(values: number[]): number {
  return values.reduce((total, v) => total + v, 0) / values.length;
}
