// Names and sizes of the official binary release, as described at
// https://www.cs.toronto.edu/~kriz/cifar.html ("Binary version").

/** Folder that the official archive extracts to. */
export const BATCHES_FOLDER = 'cifar-10-batches-bin';

/** Training batch files, in the order their records are concatenated. */
export const TRAIN_FILES = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
] as const;

/** Test batch file. */
export const TEST_FILE = 'test_batch.bin';

/** Class names file: one name per line, in label order. */
export const META_FILE = 'batches.meta.txt';

export const IMAGE_HEIGHT = 32;
export const IMAGE_WIDTH = 32;
export const IMAGE_CHANNELS = 3;

/** Bytes of one image: 1024 red, then 1024 green, then 1024 blue values. */
export const PIXEL_BYTES = IMAGE_HEIGHT * IMAGE_WIDTH * IMAGE_CHANNELS;

/** Bytes of one record: 1 label byte followed by the pixel bytes. */
export const RECORD_BYTES = 1 + PIXEL_BYTES;

/** Records in each batch file of the official release. */
export const OFFICIAL_RECORDS_PER_FILE = 10_000;

export const CLASS_COUNT = 10;

/** Largest class-names file accepted, in bytes. The official one is 61 bytes. */
export const MAX_META_BYTES = 4096;
