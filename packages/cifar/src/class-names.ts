import { CifarDataError } from './errors.js';
import { CLASS_COUNT } from './layout.js';

/**
 * Parses `batches.meta.txt`: one class name per line in label order. Blank lines and surrounding
 * whitespace are ignored (the official file ends with an empty line).
 *
 * @param path file name used in error messages.
 * @throws CifarDataError with code `INVALID_BATCH_FILE` unless exactly 10 names are present.
 */
export function parseClassNames(text: string, path: string): string[] {
  const names = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

  if (names.length !== CLASS_COUNT) {
    throw new CifarDataError(
      'INVALID_BATCH_FILE',
      path,
      `${path} lists ${names.length} class names, expected ${CLASS_COUNT} (one per line, airplane to truck).`,
    );
  }
  return names;
}
