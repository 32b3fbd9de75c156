/** Points projected onto the first two principal components, `[count, 2]` row-major. */
export interface Projection2d {
  points: Float32Array;
  count: number;
  /** Share of the total variance along each of the two components, in [0, 1]. */
  explained: [number, number];
}

/**
 * Projects `count` rows of `dim` values onto their first two principal components
 * by principal component analysis (PCA). The rows are centred and their `dim × dim`
 * covariance matrix is formed. Its two leading eigenvectors are found by power
 * iteration, the second after deflating the first (subtracting λ₁·v₁·v₁ᵀ). That
 * costs O(count · dim²), about 33 million multiply-adds for 2,000 rows of 128 features.
 * When the second and third eigenvalues are nearly equal, the second axis is some
 * mix of their eigenvectors, which is still a fair view for a scatter plot.
 *
 * @param iterations power-iteration steps per component. Default 100.
 */
export function pca2d(
  values: Float32Array,
  count: number,
  dim: number,
  iterations = 100,
): Projection2d {
  if (values.length !== count * dim || count < 1 || dim < 1) {
    throw new Error(`Invalid PCA input: ${values.length} values for ${count} rows of ${dim}.`);
  }

  const mean = new Float64Array(dim);
  for (let row = 0; row < count; row++) {
    for (let j = 0; j < dim; j++) {
      mean[j]! += values[row * dim + j]! / count;
    }
  }

  const covariance = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let row = 0; row < count; row++) {
    for (let j = 0; j < dim; j++) {
      centred[j] = values[row * dim + j]! - mean[j]!;
    }
    for (let a = 0; a < dim; a++) {
      const scaled = centred[a]! / count;
      for (let b = a; b < dim; b++) {
        covariance[a * dim + b]! += scaled * centred[b]!;
      }
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b < a; b++) {
      covariance[a * dim + b] = covariance[b * dim + a]!;
    }
  }
  let trace = 0;
  for (let a = 0; a < dim; a++) {
    trace += covariance[a * dim + a]!;
  }

  const first = leadingEigenvector(covariance, dim, iterations, 1);
  deflate(covariance, dim, first.vector, first.value);
  const second = leadingEigenvector(covariance, dim, iterations, 2);

  const points = new Float32Array(count * 2);
  for (let row = 0; row < count; row++) {
    let x = 0;
    let y = 0;
    for (let j = 0; j < dim; j++) {
      const value = values[row * dim + j]! - mean[j]!;
      x += value * first.vector[j]!;
      y += value * second.vector[j]!;
    }
    points[row * 2] = x;
    points[row * 2 + 1] = y;
  }
  const share = (value: number) => (trace > 0 ? value / trace : 0);
  return { points, count, explained: [share(first.value), share(second.value)] };
}

/** Power iteration on a symmetric positive semi-definite matrix, from a fixed start vector. */
function leadingEigenvector(
  matrix: Float64Array,
  dim: number,
  iterations: number,
  seed: number,
): { vector: Float64Array; value: number } {
  // A start vector with unequal entries, so it is unlikely to be orthogonal to the leading eigenvector.
  let vector: Float64Array = new Float64Array(dim).map(
    (_, i) => 1 + ((i * 7919 + seed * 104729) % 97) / 97,
  );
  normalize(vector);
  let value = 0;

  for (let step = 0; step < iterations; step++) {
    const next = multiply(matrix, dim, vector);
    value = Math.hypot(...next);
    if (value === 0) {
      break;
    }
    next.forEach((entry, i) => (next[i] = entry / value));
    vector = next;
  }
  return { vector, value };
}

function multiply(matrix: Float64Array, dim: number, vector: Float64Array): Float64Array {
  const result = new Float64Array(dim);
  for (let a = 0; a < dim; a++) {
    let sum = 0;
    for (let b = 0; b < dim; b++) {
      sum += matrix[a * dim + b]! * vector[b]!;
    }
    result[a] = sum;
  }
  return result;
}

/** Removes the component λ·v·vᵀ from the matrix, in place. */
function deflate(matrix: Float64Array, dim: number, vector: Float64Array, value: number): void {
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b < dim; b++) {
      matrix[a * dim + b]! -= value * vector[a]! * vector[b]!;
    }
  }
}

function normalize(vector: Float64Array): void {
  const norm = Math.hypot(...vector);
  vector.forEach((entry, i) => (vector[i] = entry / norm));
}
