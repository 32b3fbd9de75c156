/**
 * Unsigned 64-bit integer arithmetic on pairs of unsigned 32-bit words, for the SplitMix64
 * generator. It avoids `BigInt`, which allocates a new value on every operation. Every
 * intermediate value stays below 2^53, so each step is exact in float64.
 */

/** An unsigned 64-bit integer as `[high word, low word]`, each word in [0, 2^32). */
export type Uint64 = readonly [hi: number, lo: number];

const TWO_POW_16 = 0x10000;
const TWO_POW_32 = 0x100000000;

/** Returns `(a + b) mod 2^64`. */
export function add64(a: Uint64, b: Uint64): Uint64 {
  const lo = a[1] + b[1];
  const carry = lo >= TWO_POW_32 ? 1 : 0;
  return [(a[0] + b[0] + carry) >>> 0, lo >>> 0];
}

/** Returns the high 32 bits of the 64-bit product of two unsigned 32-bit words. */
function mulHigh32(a: number, b: number): number {
  const a1 = a >>> 16;
  const a0 = a & 0xffff;
  const b1 = b >>> 16;
  const b0 = b & 0xffff;

  // Each partial product is below 2^32, and each sum below 2^34, so doubles are exact.
  const middle = a1 * b0 + a0 * b1;
  const lowSum = a0 * b0 + (middle % TWO_POW_16) * TWO_POW_16;
  const high = a1 * b1 + Math.floor(middle / TWO_POW_16) + Math.floor(lowSum / TWO_POW_32);
  return high >>> 0;
}

/** Returns `(a * b) mod 2^64`. */
export function mul64(a: Uint64, b: Uint64): Uint64 {
  const lo = Math.imul(a[1], b[1]) >>> 0;
  const hi = (mulHigh32(a[1], b[1]) + Math.imul(a[0], b[1]) + Math.imul(a[1], b[0])) >>> 0;
  return [hi, lo];
}

/** Returns `a XOR (a >>> shift)` for a shift in [1, 63]. */
export function xorShiftRight64(a: Uint64, shift: number): Uint64 {
  if (shift >= 32) {
    return [a[0], (a[1] ^ (a[0] >>> (shift - 32))) >>> 0];
  }
  const shiftedLo = ((a[1] >>> shift) | (a[0] << (32 - shift))) >>> 0;
  return [(a[0] ^ (a[0] >>> shift)) >>> 0, (a[1] ^ shiftedLo) >>> 0];
}

/** Returns the number of set bits in `a`. */
export function popCount64(a: Uint64): number {
  return popCount32(a[0]) + popCount32(a[1]);
}

function popCount32(word: number): number {
  let count = 0;
  for (let rest = word >>> 0; rest !== 0; rest >>>= 1) {
    count += rest & 1;
  }
  return count;
}

/** Parses 16 hexadecimal digits, or returns `undefined` if `text` is not exactly that. */
export function parseHex64(text: string): Uint64 | undefined {
  if (!/^[0-9a-fA-F]{16}$/.test(text)) {
    return undefined;
  }
  return [parseInt(text.slice(0, 8), 16), parseInt(text.slice(8), 16)];
}

/** Formats `a` as 16 lower-case hexadecimal digits. */
export function formatHex64(a: Uint64): string {
  return a[0].toString(16).padStart(8, '0') + a[1].toString(16).padStart(8, '0');
}

/** Converts a safe integer to its two's-complement value modulo 2^64. */
export function fromSafeInteger(value: number): Uint64 {
  const magnitude = Math.abs(value);
  const hi = Math.floor(magnitude / TWO_POW_32);
  const lo = magnitude % TWO_POW_32;
  if (value >= 0) {
    return [hi, lo];
  }

  // Two's complement: invert the bits and add one.
  return add64([~hi >>> 0, ~lo >>> 0], [0, 1]);
}
