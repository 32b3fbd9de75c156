// The demo's sample file: a few thousand CIFAR-10 images with their labels in one
// binary file, written at build time and fetched by the page. It is read in the
// browser and written in Node, so it uses neither DOM nor Node APIs.

/** File name of the built-in sample, next to index.html. */
export const SAMPLE_FILE = 'cifar-sample.bin';

/** First 8 bytes of a sample file, ASCII. */
export const SAMPLE_MAGIC = 'SIMCLRDS';

/** Version of the layout below; a page rejects files of another version. */
export const SAMPLE_VERSION = 1;

/** Bytes before the labels: magic, then six little-endian uint32 fields. */
export const SAMPLE_HEADER_BYTES = 32;

/** Side of a CIFAR-10 image in pixels. */
export const IMAGE_SIZE = 32;

/** Bytes of one image: 32 × 32 pixels × 3 channels. */
export const IMAGE_BYTES = IMAGE_SIZE * IMAGE_SIZE * 3;

/** CIFAR-10 class names in label order, as `batches.meta.txt` lists them. */
export const CIFAR10_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

/**
 * Labelled 32×32 RGB images, the shape that `@simclr-ts/train` calls an
 * `ImageDataset` with labels.
 */
export interface LabelledImages {
  /** Pixels `[count, 32, 32, 3]` NHWC, values 0–255. */
  images: Uint8Array;
  /** Class index of each image, 0–9. */
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

/** The two splits of a sample file. */
export interface DemoSample {
  /** Images that SimCLR trains on; they also form the kNN bank and the embedding map. */
  train: LabelledImages;
  /** Images that the kNN monitor classifies against the bank. */
  test: LabelledImages;
}

/** Wraps NHWC pixels and labels as {@link LabelledImages} of 32×32 RGB images. */
export function labelledImages(images: Uint8Array, labels: Uint8Array): LabelledImages {
  if (images.length !== labels.length * IMAGE_BYTES) {
    throw new Error(
      `Invalid images: ${images.length} bytes for ${labels.length} labels, expected ${labels.length * IMAGE_BYTES}.`,
    );
  }
  return {
    images,
    labels,
    count: labels.length,
    height: IMAGE_SIZE,
    width: IMAGE_SIZE,
    channels: 3,
  };
}

/**
 * Encodes a sample: the magic, then version, train count, test count, height,
 * width and channels as little-endian uint32, then the train labels, test labels,
 * train pixels and test pixels (NHWC, uint8).
 */
export function encodeSample(sample: DemoSample): Uint8Array {
  const { train, test } = sample;
  const total =
    SAMPLE_HEADER_BYTES + train.count + test.count + train.images.length + test.images.length;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);

  for (let i = 0; i < SAMPLE_MAGIC.length; i++) {
    bytes[i] = SAMPLE_MAGIC.charCodeAt(i);
  }
  const fields = [SAMPLE_VERSION, train.count, test.count, IMAGE_SIZE, IMAGE_SIZE, 3];
  fields.forEach((value, index) => view.setUint32(8 + index * 4, value, true));

  let offset = SAMPLE_HEADER_BYTES;
  for (const part of [train.labels, test.labels, train.images, test.images]) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/**
 * Decodes a file written by {@link encodeSample}. The splits are views into
 * `bytes`, not copies.
 *
 * @throws Error naming what is wrong when the magic, version, image shape, size or a label is invalid.
 */
export function decodeSample(bytes: Uint8Array): DemoSample {
  const magic = String.fromCharCode(...bytes.subarray(0, SAMPLE_MAGIC.length));
  if (bytes.length < SAMPLE_HEADER_BYTES || magic !== SAMPLE_MAGIC) {
    throw new Error(
      `Not a demo sample file: it should start with '${SAMPLE_MAGIC}' and a ${SAMPLE_HEADER_BYTES}-byte header.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [version, trainCount, testCount, height, width, channels] = [0, 1, 2, 3, 4, 5].map(
    (index) => view.getUint32(8 + index * 4, true),
  ) as [number, number, number, number, number, number];
  if (version !== SAMPLE_VERSION) {
    throw new Error(
      `Unsupported demo sample version ${version}: this page reads version ${SAMPLE_VERSION}. Rebuild the page.`,
    );
  }
  if (height !== IMAGE_SIZE || width !== IMAGE_SIZE || channels !== 3) {
    throw new Error(
      `Invalid demo sample image shape ${height}×${width}×${channels}: expected 32×32×3.`,
    );
  }

  const expected = SAMPLE_HEADER_BYTES + (trainCount + testCount) * (1 + IMAGE_BYTES);
  if (bytes.length !== expected) {
    throw new Error(
      `Invalid demo sample: ${bytes.length} bytes, expected ${expected} for ${trainCount} train and ${testCount} test images.`,
    );
  }

  let offset = SAMPLE_HEADER_BYTES;
  const take = (length: number) => {
    const part = bytes.subarray(offset, offset + length);
    offset += length;
    return part;
  };
  const trainLabels = take(trainCount);
  const testLabels = take(testCount);
  checkLabels(trainLabels, 'train');
  checkLabels(testLabels, 'test');
  const trainImages = take(trainCount * IMAGE_BYTES);
  const testImages = take(testCount * IMAGE_BYTES);
  return {
    train: labelledImages(trainImages, trainLabels),
    test: labelledImages(testImages, testLabels),
  };
}

function checkLabels(labels: Uint8Array, split: string): void {
  const bad = labels.findIndex((label) => label >= CIFAR10_CLASSES.length);
  if (bad >= 0) {
    throw new Error(
      `Invalid demo sample: ${split} image ${bad} has label ${labels[bad]}, expected 0 to 9.`,
    );
  }
}
