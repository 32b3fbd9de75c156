import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Computes the md5 of a file by streaming it, as 32 lowercase hex digits. */
export async function md5File(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/**
 * Returns an md5 given by a caller in lowercase, or throws a RangeError naming `option` when it is
 * not 32 hex digits.
 */
export function normalizeMd5(md5: string, option: string): string {
  if (!/^[0-9a-fA-F]{32}$/.test(md5)) {
    throw new RangeError(`Invalid ${option} "${md5}": expected an md5 checksum of 32 hex digits.`);
  }
  return md5.toLowerCase();
}
