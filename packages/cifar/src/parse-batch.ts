import { CifarDataError } from './errors.js';
import { CLASS_COUNT, IMAGE_HEIGHT, IMAGE_WIDTH, PIXEL_BYTES, RECORD_BYTES } from './layout.js';

const PLANE_BYTES = IMAGE_HEIGHT * IMAGE_WIDTH;

/** Returns the number of records in a batch file of `byteLength` bytes, or throws naming `path`. */
export function countRecords(byteLength: number, path: string): number {
  if (byteLength === 0 || byteLength % RECORD_BYTES !== 0) {
    throw new CifarDataError(
      'INVALID_BATCH_FILE',
      path,
      `${path} is ${byteLength} bytes, expected a positive multiple of ${RECORD_BYTES} ` +
        '(1 label byte + 3072 pixel bytes per record, 10,000 records in the official release), ' +
        'so it is truncated or not a CIFAR-10 binary batch. Extract the archive again.',
    );
  }
  return byteLength / RECORD_BYTES;
}

/**
 * Decodes the records of one batch file into `images` and `labels`, starting at image `offset`.
 *
 * Each record is 1 label byte followed by 3072 pixel bytes: the 32×32 red plane, then green, then
 * blue, each row-major with rows top to bottom (CHW). Pixels are written as HWC (`[32, 32, 3]` per
 * image), so `images` is `[N, 32, 32, 3]` NHWC.
 *
 * @param bytes the whole batch file, whose length must be a multiple of 3073.
 * @param path file name used in error messages.
 * @throws CifarDataError with code `INVALID_BATCH_FILE` when a label is 10 or more.
 */
export function decodeBatch(
  bytes: Uint8Array,
  path: string,
  images: Uint8Array,
  labels: Uint8Array,
  offset: number,
): void {
  const count = countRecords(bytes.length, path);

  for (let record = 0; record < count; record++) {
    const source = record * RECORD_BYTES;
    const label = bytes[source]!;
    if (label >= CLASS_COUNT) {
      throw new CifarDataError(
        'INVALID_BATCH_FILE',
        path,
        `${path} record ${record} (byte ${source}) has label ${label}, expected 0 to ${CLASS_COUNT - 1}, ` +
          'so the file is garbled or not a CIFAR-10 binary batch. Extract the archive again.',
      );
    }
    labels[offset + record] = label;

    const red = source + 1;
    const green = red + PLANE_BYTES;
    const blue = green + PLANE_BYTES;
    let target = (offset + record) * PIXEL_BYTES;
    for (let pixel = 0; pixel < PLANE_BYTES; pixel++) {
      images[target] = bytes[red + pixel]!;
      images[target + 1] = bytes[green + pixel]!;
      images[target + 2] = bytes[blue + pixel]!;
      target += 3;
    }
  }
}
