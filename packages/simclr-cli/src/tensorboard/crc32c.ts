/** Lookup table of CRC-32C (Castagnoli polynomial, reflected form 0x82F63B78). */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
    }
    table[byte] = crc >>> 0;
  }
  return table;
})();

/** Returns the CRC-32C of `bytes` (RFC 3720, Appendix B.4), as TFRecord files use. */
export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc = TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Returns TFRecord's masked CRC: the CRC-32C rotated right by 15 bits plus 0xa282ead8,
 * modulo 2³², which TensorFlow's record format stores so that CRCs of data that itself
 * contains CRCs stay informative.
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
