import { describe, expect, it } from 'vitest';

import { createRng, type RngState } from '../src/index';

// An independent SplitMix64 in BigInt, written from Steele, Lea and Flood (OOPSLA 2014) and
// java.util.SplittableRandom, to check the 32-bit-word arithmetic of the library.
const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

function popCount(z: bigint): number {
  return z.toString(2).replace(/0/g, '').length;
}

function mixGamma(z: bigint): bigint {
  z = ((z ^ (z >> 33n)) * 0xff51afd7ed558ccdn) & MASK64;
  z = ((z ^ (z >> 33n)) * 0xc4ceb9fe1a85ec53n) & MASK64;
  z = (z ^ (z >> 33n)) | 1n;
  return popCount(z ^ (z >> 1n)) < 24 ? z ^ 0xaaaaaaaaaaaaaaaan : z;
}

class BigSplitMix {
  constructor(
    private seed: bigint,
    private readonly gamma: bigint,
  ) {}

  nextSeed(): bigint {
    this.seed = (this.seed + this.gamma) & MASK64;
    return this.seed;
  }

  nextUint64(): bigint {
    return mix64(this.nextSeed());
  }

  nextDouble(): number {
    return Number(this.nextUint64() >> 11n) * 2 ** -53;
  }

  split(): BigSplitMix {
    const seed = this.nextUint64();
    return new BigSplitMix(seed, mixGamma(this.nextSeed()));
  }
}

const bigRoot = (seed: number) => new BigSplitMix(BigInt.asUintN(64, BigInt(seed)), GOLDEN_GAMMA);

function draws(rng: { next(): number }, count: number): number[] {
  return Array.from({ length: count }, () => rng.next());
}

describe('createRng', () => {
  it.each([0, 1, 42, -1, 123456789, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])(
    'matches a BigInt SplitMix64 for seed %d',
    (seed) => {
      const rng = createRng(seed);
      const reference = bigRoot(seed);
      for (let i = 0; i < 200; i++) {
        expect(rng.next()).toBe(reference.nextDouble());
      }
    },
  );

  it('starts from the published splitmix64 output', () => {
    // First output of Vigna's splitmix64.c from state 0, as a 53-bit double.
    const expected = Number(0xe220a8397b1dcdafn >> 11n) * 2 ** -53;
    expect(createRng(0).next()).toBe(expected);
  });

  it.each([1.5, NaN, Infinity, 2 ** 53])('rejects seed %d', (seed) => {
    expect(() => createRng(seed)).toThrow(/safe integer/);
  });

  it('gives different streams for different seeds', () => {
    expect(draws(createRng(1), 5)).not.toEqual(draws(createRng(2), 5));
  });
});

describe('Rng.split', () => {
  it('matches SplittableRandom split', () => {
    const rng = createRng(7);
    const reference = bigRoot(7);
    rng.next();
    reference.nextDouble();

    const child = rng.split();
    const referenceChild = reference.split();
    const grandchild = child.split();
    const referenceGrandchild = referenceChild.split();
    for (let i = 0; i < 50; i++) {
      expect(child.next()).toBe(referenceChild.nextDouble());
      expect(grandchild.next()).toBe(referenceGrandchild.nextDouble());
      expect(rng.next()).toBe(reference.nextDouble());
    }
  });

  it('gives an uncorrelated child stream', () => {
    const parent = createRng(99);
    const child = parent.split();
    const count = 20_000;
    const a = draws(parent, count);
    const b = draws(child, count);

    let covariance = 0;
    for (let i = 0; i < count; i++) {
      covariance += (a[i]! - 0.5) * (b[i]! - 0.5);
    }
    // Correlation of independent uniforms has standard deviation 1 / sqrt(count).
    const correlation = covariance / count / (1 / 12);
    expect(Math.abs(correlation)).toBeLessThan(5 / Math.sqrt(count));
    expect(a.slice(0, 10)).not.toEqual(b.slice(0, 10));
  });
});

describe('Rng state', () => {
  it('replays the stream after setState', () => {
    const rng = createRng(5);
    draws(rng, 17);
    const state = rng.getState();
    const first = [rng.next(), rng.uniform(2, 3), rng.normal(), rng.integer(0, 9)];

    rng.setState(state);
    const second = [rng.next(), rng.uniform(2, 3), rng.normal(), rng.integer(0, 9)];
    expect(second).toEqual(first);
  });

  it('round-trips the state through JSON', () => {
    const source = createRng(11).split();
    draws(source, 3);
    const saved = JSON.parse(JSON.stringify(source.getState())) as RngState;

    const restored = createRng(0);
    restored.setState(saved);
    expect(draws(restored, 20)).toEqual(draws(source, 20));
    expect(restored.getState()).toEqual(source.getState());
  });

  it('formats the state as 16 hex digits', () => {
    expect(createRng(0).getState()).toEqual({
      seed: '0000000000000000',
      gamma: '9e3779b97f4a7c15',
    });
    expect(createRng(-1).getState().seed).toBe('ffffffffffffffff');
  });

  it.each([
    [{ seed: 'xyz', gamma: '9e3779b97f4a7c15' }, /seed must be 16 hexadecimal digits/],
    [{ seed: '0000000000000000', gamma: '9e3779b97f4a7c14' }, /gamma must be .* odd/],
    [{ seed: '0000000000000000', gamma: '9e3779b97f4a7c1' }, /gamma must be 16/],
  ])('rejects state %j', (state, message) => {
    expect(() => createRng(0).setState(state)).toThrow(message);
  });
});

describe('Rng distributions', () => {
  const count = 20_000;

  it('draws next() in [0, 1) with mean 1/2', () => {
    const values = draws(createRng(3), count);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, v) => sum + v, 0) / count;
    // Standard error of the mean of U(0, 1) is sqrt(1/12 / count).
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / count));
  });

  it('draws uniform(lo, hi) inside the range', () => {
    const rng = createRng(4);
    for (let i = 0; i < 1000; i++) {
      const value = rng.uniform(-2, 3);
      expect(value).toBeGreaterThanOrEqual(-2);
      expect(value).toBeLessThan(3);
    }
    expect(rng.uniform(1.5, 1.5)).toBe(1.5);
  });

  it('draws logUniform with uniform logarithm', () => {
    const rng = createRng(5);
    const logs = Array.from({ length: count }, () => Math.log(rng.logUniform(3 / 4, 4 / 3)));
    const lo = Math.log(3 / 4);
    const hi = Math.log(4 / 3);
    expect(Math.min(...logs)).toBeGreaterThanOrEqual(lo - 1e-12);
    expect(Math.max(...logs)).toBeLessThan(hi + 1e-12);
    const mean = logs.reduce((sum, v) => sum + v, 0) / count;
    const width = hi - lo;
    expect(Math.abs(mean - (lo + hi) / 2)).toBeLessThan(5 * width * Math.sqrt(1 / 12 / count));
  });

  it.each([0, 0.2, 0.5, 1])('draws bernoulli(%d) at its rate', (p) => {
    const rng = createRng(6);
    let hits = 0;
    for (let i = 0; i < count; i++) {
      hits += rng.bernoulli(p) ? 1 : 0;
    }
    expect(Math.abs(hits / count - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / count));
  });

  it('draws normal with the given mean and std', () => {
    const rng = createRng(8);
    const values = Array.from({ length: count }, () => rng.normal(2, 3));
    const mean = values.reduce((sum, v) => sum + v, 0) / count;
    const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (count - 1);
    expect(Math.abs(mean - 2)).toBeLessThan(5 * (3 / Math.sqrt(count)));
    // The sample variance of a normal has standard deviation sigma^2 * sqrt(2 / (count - 1)).
    expect(Math.abs(variance - 9)).toBeLessThan(5 * 9 * Math.sqrt(2 / (count - 1)));
  });

  it('draws integers uniformly, bounds included', () => {
    const rng = createRng(9);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 6000; i++) {
      const value = rng.integer(-2, 3);
      counts[value + 2]!++;
    }
    for (const c of counts) {
      // Binomial(6000, 1/6): mean 1000, standard deviation about 28.9.
      expect(Math.abs(c - 1000)).toBeLessThan(5 * 28.9);
    }
  });

  it.each([
    ['uniform', () => createRng(0).uniform(2, 1), /lo <= hi/],
    ['uniform', () => createRng(0).uniform(NaN, 1), /finite/],
    ['logUniform', () => createRng(0).logUniform(0, 1), /0 < lo <= hi/],
    ['bernoulli', () => createRng(0).bernoulli(1.5), /\[0, 1\]/],
    ['normal', () => createRng(0).normal(0, -1), /std/],
    ['integer', () => createRng(0).integer(0.5, 3), /integers/],
    ['integer', () => createRng(0).integer(0, 2 ** 33), /2\^32/],
  ])('%s rejects invalid arguments', (_name, call, message) => {
    expect(call).toThrow(message);
  });
});
