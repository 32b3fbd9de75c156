import { parsePickedFile } from './cifar-batch';
import { SAMPLE_FILE, SAMPLE_MAGIC, decodeSample, type DemoSample } from './sample-format';

/** Data for a run and where it came from. */
export interface LoadedData {
  sample: DemoSample;
  /** 'built-in CIFAR-10 sample' or the name of the picked file. */
  origin: string;
}

/**
 * Fetches the built-in sample. Returns undefined when the page was built without
 * it: the server responds with 404 or, like Vite's dev server, with the page itself.
 *
 * @throws Error when the file is present but invalid.
 */
export async function fetchBuiltInSample(): Promise<LoadedData | undefined> {
  const response = await fetch(new URL(SAMPLE_FILE, document.baseURI));
  if (!response.ok) {
    return undefined;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const magic = String.fromCharCode(...bytes.subarray(0, SAMPLE_MAGIC.length));
  if (magic !== SAMPLE_MAGIC) {
    return undefined;
  }
  return { sample: decodeSample(bytes), origin: 'built-in CIFAR-10 sample' };
}

/** Reads a file that the user picked; see {@link parsePickedFile} for what it accepts. */
export async function readPickedFile(file: File): Promise<LoadedData> {
  const sample = parsePickedFile(new Uint8Array(await file.arrayBuffer()), file.name);
  return { sample, origin: file.name };
}

/**
 * Describes the data and how much of it a run uses, e.g. 'built-in CIFAR-10 sample,
 * using 500 of 2,000 training images (the kNN bank) and 100 of 500 kNN queries'.
 * A limit of undefined, or one not below the count, uses all images of that split.
 */
export function describeData(
  data: LoadedData,
  trainLimit: number | undefined,
  testLimit: number | undefined,
): string {
  const format = (value: number) => value.toLocaleString('en-US');
  const used = (count: number, limit: number | undefined) =>
    limit === undefined || limit >= count ? format(count) : `${format(limit)} of ${format(count)}`;
  const train = used(data.sample.train.count, trainLimit);
  const test = used(data.sample.test.count, testLimit);
  const limited = train.includes(' of ') || test.includes(' of ');
  return (
    `${data.origin}, ${limited ? 'using ' : ''}${train} training images (the kNN bank) ` +
    `and ${test} kNN queries`
  );
}
