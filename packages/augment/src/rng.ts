import {
  add64,
  formatHex64,
  fromSafeInteger,
  mul64,
  parseHex64,
  popCount64,
  xorShiftRight64,
  type Uint64,
} from './uint64';

/**
 * Serialisable state of an {@link Rng}: the SplitMix64 seed and gamma as 16 lower-case
 * hexadecimal digits each. JSON round-trips it exactly.
 */
export interface RngState {
  /** The 64-bit counter that advances by `gamma` on every draw. */
  readonly seed: string;
  /** The odd 64-bit increment that identifies this stream. */
  readonly gamma: string;
}

/**
 * A seeded, splittable pseudo-random number generator. It runs in plain JavaScript, so a
 * seed gives the same numbers on every tfjs backend and every platform.
 */
export interface Rng {
  /** Draws a float64 uniform in [0, 1) with 53 random bits. */
  next(): number;
  /** Draws a number uniform in [lo, hi). Requires finite `lo <= hi`, and returns `lo` when they are equal. */
  uniform(lo: number, hi: number): number;
  /** Draws `exp(u)` with `u` uniform in [ln lo, ln hi). Requires `0 < lo <= hi`. */
  logUniform(lo: number, hi: number): number;
  /** Draws `true` with probability `p` in [0, 1]. */
  bernoulli(p: number): boolean;
  /** Draws from N(mean, std²) by the Box–Muller transform, which consumes two uniforms. */
  normal(mean?: number, std?: number): number;
  /**
   * Draws an integer uniform in [lo, hi] (both inclusive). Requires integers `lo <= hi`
   * with `hi - lo < 2^32`. The bias from scaling a 53-bit uniform is below 2^-21.
   */
  integer(lo: number, hi: number): number;
  /** Creates a child generator whose stream is statistically independent of this one. */
  split(): Rng;
  /** Returns the current state, from which `setState` replays every later draw. */
  getState(): RngState;
  /** Restores a state returned by `getState` of any generator of this kind. */
  setState(state: RngState): void;
}

// Constants of SplitMix64: Steele, Lea and Flood, "Fast Splittable Pseudorandom Number
// Generators", OOPSLA 2014, as used by java.util.SplittableRandom (OpenJDK 8).
const GOLDEN_GAMMA: Uint64 = [0x9e3779b9, 0x7f4a7c15];
const MIX64_MULTIPLIER_1: Uint64 = [0xbf58476d, 0x1ce4e5b9];
const MIX64_MULTIPLIER_2: Uint64 = [0x94d049bb, 0x133111eb];
const MIX_GAMMA_MULTIPLIER_1: Uint64 = [0xff51afd7, 0xed558ccd];
const MIX_GAMMA_MULTIPLIER_2: Uint64 = [0xc4ceb9fe, 0x1a85ec53];
const ALTERNATING_BITS: Uint64 = [0xaaaaaaaa, 0xaaaaaaaa];
const TWO_POW_MINUS_53 = 2 ** -53;

/** Output finaliser of SplitMix64 (Stafford's "Mix13" variant of the MurmurHash3 finaliser). */
function mix64(z: Uint64): Uint64 {
  let x = mul64(xorShiftRight64(z, 30), MIX64_MULTIPLIER_1);
  x = mul64(xorShiftRight64(x, 27), MIX64_MULTIPLIER_2);
  return xorShiftRight64(x, 31);
}

/**
 * Derives the gamma of a split-off child: an odd number with at least 24 bit transitions,
 * because gammas with few transitions give visibly correlated streams (Steele et al., 2014).
 */
function mixGamma(z: Uint64): Uint64 {
  let x = mul64(xorShiftRight64(z, 33), MIX_GAMMA_MULTIPLIER_1);
  x = mul64(xorShiftRight64(x, 33), MIX_GAMMA_MULTIPLIER_2);
  x = xorShiftRight64(x, 33);
  const odd: Uint64 = [x[0], (x[1] | 1) >>> 0];

  const transitions = popCount64(xorShiftRight64(odd, 1));
  if (transitions < 24) {
    return [(odd[0] ^ ALTERNATING_BITS[0]) >>> 0, (odd[1] ^ ALTERNATING_BITS[1]) >>> 0];
  }
  return odd;
}

function assertFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number, but got ${value}.`);
  }
}

/** SplitMix64: a 64-bit counter advanced by an odd gamma, hashed by `mix64` on output. */
class SplitMix64 implements Rng {
  private seed: Uint64;
  private gamma: Uint64;

  constructor(seed: Uint64, gamma: Uint64) {
    this.seed = seed;
    this.gamma = gamma;
  }

  private nextSeed(): Uint64 {
    this.seed = add64(this.seed, this.gamma);
    return this.seed;
  }

  private nextUint64(): Uint64 {
    return mix64(this.nextSeed());
  }

  next(): number {
    // The top 53 bits (all 32 of the high word, 21 of the low word), scaled to [0, 1).
    const [hi, lo] = this.nextUint64();
    const top53 = hi * 0x200000 + (lo >>> 11);
    return top53 * TWO_POW_MINUS_53;
  }

  uniform(lo: number, hi: number): number {
    assertFinite('uniform lo', lo);
    assertFinite('uniform hi', hi);
    if (lo > hi) {
      throw new RangeError(`uniform requires lo <= hi, but got lo=${lo} and hi=${hi}.`);
    }
    return lo + (hi - lo) * this.next();
  }

  logUniform(lo: number, hi: number): number {
    if (!(lo > 0) || !(hi >= lo) || !Number.isFinite(hi)) {
      throw new RangeError(
        `logUniform requires finite 0 < lo <= hi, but got lo=${lo} and hi=${hi}.`,
      );
    }
    return Math.exp(this.uniform(Math.log(lo), Math.log(hi)));
  }

  bernoulli(p: number): boolean {
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(`bernoulli probability must be in [0, 1], but got ${p}.`);
    }
    return this.next() < p;
  }

  normal(mean = 0, std = 1): number {
    assertFinite('normal mean', mean);
    if (!(std >= 0) || !Number.isFinite(std)) {
      throw new RangeError(`normal std must be finite and >= 0, but got ${std}.`);
    }

    // 1 - next() lies in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    return mean + std * radius * Math.cos(angle);
  }

  integer(lo: number, hi: number): number {
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || lo > hi) {
      throw new RangeError(`integer requires integers lo <= hi, but got lo=${lo} and hi=${hi}.`);
    }
    const count = hi - lo + 1;
    if (count > 0x100000000) {
      throw new RangeError(`integer requires hi - lo < 2^32, but got lo=${lo} and hi=${hi}.`);
    }
    return lo + Math.floor(this.next() * count);
  }

  split(): Rng {
    // The child's seed and gamma both come from the parent's stream, as in SplittableRandom.
    const childSeed = this.nextUint64();
    const childGamma = mixGamma(this.nextSeed());
    return new SplitMix64(childSeed, childGamma);
  }

  getState(): RngState {
    return { seed: formatHex64(this.seed), gamma: formatHex64(this.gamma) };
  }

  setState(state: RngState): void {
    const seed = parseHex64(state.seed);
    const gamma = parseHex64(state.gamma);
    if (seed === undefined) {
      throw new RangeError(`RngState.seed must be 16 hexadecimal digits, but got "${state.seed}".`);
    }
    if (gamma === undefined || (gamma[1] & 1) === 0) {
      throw new RangeError(
        `RngState.gamma must be 16 hexadecimal digits of an odd number, but got "${state.gamma}".`,
      );
    }
    this.seed = seed;
    this.gamma = gamma;
  }
}

/**
 * Creates a SplitMix64 generator (Steele, Lea and Flood, "Fast Splittable Pseudorandom
 * Number Generators", OOPSLA 2014). The stream of a root generator equals Vigna's reference
 * `splitmix64.c` started from the same 64-bit seed, and `split()` follows
 * `java.util.SplittableRandom`.
 *
 * @param seed a safe integer. A negative seed is taken modulo 2^64 (two's complement).
 * @example
 * const rng = createRng(42);
 * const crops = rng.split(); // an independent stream, e.g. for one data loader
 * rng.uniform(0.08, 1);
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(
      `createRng seed must be a safe integer in [-(2^53 - 1), 2^53 - 1], but got ${seed}.`,
    );
  }
  return new SplitMix64(fromSafeInteger(seed), GOLDEN_GAMMA);
}
