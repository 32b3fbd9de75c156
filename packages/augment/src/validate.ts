/** Checks of option values that the ops share. Each throws an error that names the value. */

/** A closed range `[lo, hi]` of numbers. */
export type NumberRange = readonly [number, number];

/**
 * Checks that `range` is `[lo, hi]` with finite 0 < lo <= hi <= max, and throws a `RangeError`
 * that names it otherwise.
 */
export function assertPositiveRange(
  name: string,
  range: readonly number[],
  max: number,
): asserts range is NumberRange {
  const [lo = NaN, hi = NaN] = range;
  const valid = range.length === 2 && lo > 0 && lo <= hi && hi <= max && Number.isFinite(hi);
  if (!valid) {
    const bound = max === Infinity ? '' : ` <= ${max}`;
    throw new RangeError(
      `${name} must be [lo, hi] with finite 0 < lo <= hi${bound}, but got [${range.join(', ')}].`,
    );
  }
}

/** Checks that `range` is `[lo, hi]` with min <= lo <= hi <= max, both finite. */
export function assertRange(
  name: string,
  range: readonly number[],
  min: number,
  max: number,
): asserts range is NumberRange {
  const [lo = NaN, hi = NaN] = range;
  const valid =
    range.length === 2 &&
    Number.isFinite(lo) &&
    Number.isFinite(hi) &&
    lo >= min &&
    lo <= hi &&
    hi <= max;
  if (!valid) {
    const upper = max === Infinity ? '' : ` <= ${max}`;
    throw new RangeError(
      `${name} must be [lo, hi] with finite ${min} <= lo <= hi${upper}, ` +
        `but got [${range.join(', ')}].`,
    );
  }
}

/** Checks that `value` is a probability in [0, 1]. */
export function assertProbability(name: string, value: number): void {
  if (!(typeof value === 'number' && value >= 0 && value <= 1)) {
    throw new RangeError(`${name} must be a probability in [0, 1], but got ${String(value)}.`);
  }
}

/** Checks that `value` is a boolean. */
export function assertBoolean(name: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${name} must be true or false, but got ${String(value)}.`);
  }
}

/** Checks that `value` is a finite number in [min, max]. */
export function assertNumberIn(name: string, value: unknown, min: number, max: number): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max)) {
    const rangeText = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${name} must be a finite number ${rangeText}, but got ${String(value)}.`);
  }
}

/** Checks that `value` is one of `choices`. */
export function assertOneOf<T extends string>(
  name: string,
  value: unknown,
  choices: readonly T[],
): asserts value is T {
  if (!choices.includes(value as T)) {
    throw new RangeError(
      `${name} must be one of ${choices.map((choice) => `'${choice}'`).join(', ')}, ` +
        `but got ${JSON.stringify(value)}.`,
    );
  }
}
