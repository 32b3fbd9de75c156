import type { CaseOutput } from './types';

/** Allowed difference from the reference, as in `numpy.allclose`: |x − ref| ≤ atol + rtol·|ref|. */
export interface Bounds {
  atol: number;
  rtol: number;
}

/** Differences between one output of a backend and the reference output. */
export interface OutputComparison {
  name: string;
  /** Max |x − ref| over the elements. */
  maxAbs: number;
  /**
   * Max |x − ref| / |ref| over the elements with |ref| > atol. Elements closer to zero are
   * left out, because their relative error does not measure accuracy. 0 when there are none.
   */
  maxRel: number;
  /** Max |x − ref| / (atol + rtol·|ref|) over the elements: at most 1 passes. */
  worstRatio: number;
  /** Flat index of the element with the worst ratio, or -1 for an empty output. */
  worstIndex: number;
  /** Reason the output can't be compared element by element (shape or NaN mismatch), if any. */
  mismatch?: string;
}

/**
 * Compares one output with the reference under `bounds`. NaN must sit at the same positions
 * in both (a NaN elsewhere is a mismatch), and infinities must be equal.
 */
export function compareOutput(
  reference: CaseOutput,
  actual: CaseOutput,
  bounds: Bounds,
): OutputComparison {
  const comparison: OutputComparison = {
    name: reference.name,
    maxAbs: 0,
    maxRel: 0,
    worstRatio: 0,
    worstIndex: -1,
  };
  if (reference.shape.join(',') !== actual.shape.join(',')) {
    comparison.mismatch = `shape [${actual.shape}] differs from the reference's [${reference.shape}]`;
    return comparison;
  }
  if (reference.values.length !== actual.values.length) {
    comparison.mismatch = `${actual.values.length} values, the reference has ${reference.values.length}`;
    return comparison;
  }

  for (let i = 0; i < reference.values.length; i++) {
    const expected = reference.values[i]!;
    const value = actual.values[i]!;
    if (Number.isNaN(expected) || Number.isNaN(value)) {
      if (Number.isNaN(expected) !== Number.isNaN(value)) {
        comparison.mismatch = `element ${i} is ${value}, the reference is ${expected}`;
        comparison.worstRatio = Infinity;
        comparison.worstIndex = i;
        return comparison;
      }
      continue;
    }
    if (!Number.isFinite(expected) || !Number.isFinite(value)) {
      if (expected !== value) {
        comparison.mismatch = `element ${i} is ${value}, the reference is ${expected}`;
        comparison.worstRatio = Infinity;
        comparison.worstIndex = i;
        return comparison;
      }
      continue;
    }

    const error = Math.abs(value - expected);
    comparison.maxAbs = Math.max(comparison.maxAbs, error);
    if (Math.abs(expected) > bounds.atol) {
      comparison.maxRel = Math.max(comparison.maxRel, error / Math.abs(expected));
    }
    const allowed = bounds.atol + bounds.rtol * Math.abs(expected);
    let ratio = 0;
    if (allowed > 0) {
      ratio = error / allowed;
    } else if (error > 0) {
      ratio = Infinity;
    }
    if (comparison.worstIndex === -1 || ratio > comparison.worstRatio) {
      comparison.worstRatio = ratio;
      comparison.worstIndex = i;
    }
  }
  return comparison;
}

/** Returns whether a comparison passes: comparable, and every element within its bound. */
export function withinBounds(comparison: OutputComparison): boolean {
  return comparison.mismatch === undefined && comparison.worstRatio <= 1;
}

/**
 * Compares every output of a case with the reference, matched by name. An output missing on
 * either side becomes a mismatch.
 */
export function compareOutputs(
  reference: readonly CaseOutput[],
  actual: readonly CaseOutput[],
  bounds: Bounds,
): OutputComparison[] {
  const actualByName = new Map(actual.map((output) => [output.name, output]));
  const comparisons = reference.map((expected) => {
    const output = actualByName.get(expected.name);
    if (output === undefined) {
      return missingOutput(expected.name, 'missing from the backend run');
    }
    return compareOutput(expected, output, bounds);
  });

  const referenceNames = new Set(reference.map((output) => output.name));
  for (const output of actual) {
    if (!referenceNames.has(output.name)) {
      comparisons.push(missingOutput(output.name, 'missing from the reference run'));
    }
  }
  return comparisons;
}

function missingOutput(name: string, mismatch: string): OutputComparison {
  return { name, maxAbs: 0, maxRel: 0, worstRatio: Infinity, worstIndex: -1, mismatch };
}
