// Reads a file that the user picks: a CIFAR-10 binary batch, or a sample file
// of this demo. Runs in the browser, so it does not use @simclr-ts/cifar, which
// is written for Node.
import {
  IMAGE_BYTES,
  SAMPLE_MAGIC,
  decodeSample,
  labelledImages,
  type DemoSample,
} from './sample-format';

/** Bytes of one CIFAR-10 record: 1 label byte, then 1024 red, 1024 green and 1024 blue bytes. */
export const RECORD_BYTES = 1 + IMAGE_BYTES;

/** Records of each batch file of the official CIFAR-10 release. */
export const OFFICIAL_RECORDS = 10_000;

/** Maximum number of images of a picked file that train; more would slow down each kNN measurement. */
export const MAX_TRAIN_IMAGES = 2_000;

/** Maximum number of images of a picked file that the kNN monitor classifies. */
export const MAX_TEST_IMAGES = 500;

const PLANE_BYTES = 32 * 32;

/**
 * Parses a picked file into a sample. A CIFAR-10 binary batch (`data_batch_N.bin`,
 * `test_batch.bin`) is split in file order: the first 80% of its records, at most
 * {@link MAX_TRAIN_IMAGES}, train, and the next ones, at most {@link MAX_TEST_IMAGES},
 * are the kNN queries. A file that starts with the demo's sample magic is read whole.
 *
 * @param name file name, for messages.
 * @throws Error saying what is wrong and which file would work.
 */
export function parsePickedFile(bytes: Uint8Array, name: string): DemoSample {
  if (startsWith(bytes, SAMPLE_MAGIC)) {
    return decodeSample(bytes);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new Error(
      `${name} is a gzip archive. Extract it (tar -xzf ${name}) and pick one of the .bin files ` +
        'in cifar-10-batches-bin, such as data_batch_1.bin.',
    );
  }

  const count = countRecords(bytes.length, name);
  const trainCount = Math.min(MAX_TRAIN_IMAGES, Math.floor(count * 0.8));
  const testCount = Math.min(MAX_TEST_IMAGES, count - trainCount);
  return {
    train: decodeRecords(bytes, 0, trainCount, name),
    test: decodeRecords(bytes, trainCount, testCount, name),
  };
}

/** Returns the number of records in a batch file of `byteLength` bytes, or throws saying what is wrong. */
export function countRecords(byteLength: number, name: string): number {
  const official = (OFFICIAL_RECORDS * RECORD_BYTES).toLocaleString('en-US');
  if (byteLength === 0 || byteLength % RECORD_BYTES !== 0) {
    throw new Error(
      `${name} is ${byteLength.toLocaleString('en-US')} bytes, which is not a multiple of ` +
        `${RECORD_BYTES.toLocaleString('en-US')} (1 label byte + 3,072 pixel bytes per record), ` +
        `so it is not a CIFAR-10 binary batch or it is truncated. Pick data_batch_1.bin … ` +
        `data_batch_5.bin or test_batch.bin from cifar-10-binary.tar.gz (${official} bytes each).`,
    );
  }
  const count = byteLength / RECORD_BYTES;
  if (count < 3) {
    throw new Error(
      `${name} contains ${count} record${count === 1 ? '' : 's'}; the demo needs at least 3 ` +
        `(2 to train on and 1 to classify). Official batch files contain ${OFFICIAL_RECORDS.toLocaleString('en-US')}.`,
    );
  }
  return count;
}

/**
 * Decodes `count` records from record `first` on: each record's label byte, and its
 * channel planes (CHW) rearranged to NHWC.
 */
function decodeRecords(bytes: Uint8Array, first: number, count: number, name: string) {
  const images = new Uint8Array(count * IMAGE_BYTES);
  const labels = new Uint8Array(count);

  for (let i = 0; i < count; i++) {
    const record = first + i;
    const source = record * RECORD_BYTES;
    const label = bytes[source]!;
    if (label > 9) {
      throw new Error(
        `${name} record ${record} has label ${label}, expected 0 to 9, so it is not a CIFAR-10 ` +
          'binary batch (CIFAR-100 files have 2 label bytes per record).',
      );
    }
    labels[i] = label;

    const red = source + 1;
    let target = i * IMAGE_BYTES;
    for (let pixel = 0; pixel < PLANE_BYTES; pixel++) {
      images[target] = bytes[red + pixel]!;
      images[target + 1] = bytes[red + PLANE_BYTES + pixel]!;
      images[target + 2] = bytes[red + 2 * PLANE_BYTES + pixel]!;
      target += 3;
    }
  }
  return labelledImages(images, labels);
}

function startsWith(bytes: Uint8Array, text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (bytes[i] !== text.charCodeAt(i)) {
      return false;
    }
  }
  return true;
}
