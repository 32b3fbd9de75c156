import { parsePickedFile } from './cifar-batch';
import { SAMPLE_FILE, SAMPLE_MAGIC, decodeSample, type DemoSample } from './sample-format';

/** Data for a run and a line that names its source. */
export interface LoadedData {
  sample: DemoSample;
  source: string;
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
  const sample = decodeSample(bytes);
  return { sample, source: `built-in CIFAR-10 sample, ${describeSplits(sample)}` };
}

/** Reads a file that the user picked; see {@link parsePickedFile} for what it accepts. */
export async function readPickedFile(file: File): Promise<LoadedData> {
  const sample = parsePickedFile(new Uint8Array(await file.arrayBuffer()), file.name);
  return { sample, source: `${file.name}, ${describeSplits(sample)}` };
}

function describeSplits(sample: DemoSample): string {
  const count = (value: number) => value.toLocaleString('en-US');
  return `${count(sample.train.count)} training images (the kNN bank) and ${count(sample.test.count)} kNN queries`;
}
