import { InvalidArgumentError } from 'commander';

/** Returns a commander parser for an integer in [min, max]. */
export function integerIn(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      const range =
        max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
      throw new InvalidArgumentError(`'${value}' is not an integer ${range}.`);
    }
    return parsed;
  };
}

/** Returns a commander parser for a finite number above `min` (exclusive). */
export function numberAbove(min: number): (value: string) => number {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= min) {
      throw new InvalidArgumentError(`'${value}' is not a number above ${min}.`);
    }
    return parsed;
  };
}

/** Returns a commander parser that accepts one of `choices`. */
export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value: string) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`'${value}' is not one of ${choices.join(', ')}.`);
    }
    return value as T;
  };
}

/** Returns a commander parser for a finite number in [min, max]. */
export function numberIn(min: number, max: number): (value: string) => number {
  return (value: string) => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || parsed < min || parsed > max) {
      const range = max === Number.MAX_VALUE ? `of at least ${min}` : `from ${min} to ${max}`;
      throw new InvalidArgumentError(`'${value}' is not a number ${range}.`);
    }
    return parsed;
  };
}
