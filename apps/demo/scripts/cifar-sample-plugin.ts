// A Vite plugin that builds the page's CIFAR-10 sample from the local archive,
// so the page can train without the user picking a file.
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadCifar10, type CifarSplit } from '@simclr-ts/cifar';
import type { Plugin } from 'vite';
import { IMAGE_BYTES, SAMPLE_FILE, encodeSample, labelledImages } from '../src/sample-format.ts';

/** Archive used when SIMCLR_CIFAR_ARCHIVE is unset: the `shared/data` folder beside the clone. */
export const DEFAULT_ARCHIVE = fileURLToPath(
  new URL('../../../../shared/data/cifar-10-binary.tar.gz', import.meta.url),
);

/** Training images in the sample when SIMCLR_DEMO_TRAIN_IMAGES is unset: 200 of each class. */
export const DEFAULT_TRAIN_IMAGES = 2_000;

/** Test images in the sample when SIMCLR_DEMO_TEST_IMAGES is unset: 50 of each class. */
export const DEFAULT_TEST_IMAGES = 500;

/** Source archive and size of the sample. */
export interface SampleOptions {
  /** CIFAR-10 binary archive (`.tar.gz`) or extracted folder. */
  archive: string;
  /** Whether SIMCLR_CIFAR_ARCHIVE named `archive`; false for {@link DEFAULT_ARCHIVE}. Default false. */
  archiveFromEnv?: boolean;
  trainImages: number;
  testImages: number;
}

/** Reads {@link SampleOptions} from SIMCLR_CIFAR_ARCHIVE, SIMCLR_DEMO_TRAIN_IMAGES and SIMCLR_DEMO_TEST_IMAGES. */
export function sampleOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SampleOptions {
  const count = (name: string, fallback: number) => {
    const text = env[name];
    if (text === undefined || text === '') {
      return fallback;
    }
    const value = Number(text);
    if (!Number.isInteger(value) || value < 10) {
      throw new Error(`Invalid ${name}=${text}: expected an integer of at least 10.`);
    }
    return value;
  };
  const archive = env['SIMCLR_CIFAR_ARCHIVE'];
  return {
    archive: archive || DEFAULT_ARCHIVE,
    archiveFromEnv: Boolean(archive),
    trainImages: count('SIMCLR_DEMO_TRAIN_IMAGES', DEFAULT_TRAIN_IMAGES),
    testImages: count('SIMCLR_DEMO_TEST_IMAGES', DEFAULT_TEST_IMAGES),
  };
}

/**
 * Builds the sample file: `trainImages` from the training batches and `testImages` from
 * the test batch, the same number of each class (the first ones in file order, after
 * rounding down to a multiple of 10). Returns undefined when the archive is missing.
 * `@simclr-ts/cifar` extracts an archive once into its cache folder (SIMCLR_CACHE_DIR,
 * default `~/.cache/simclr-ts`) and reads it from there later.
 */
export async function buildSample(
  options: SampleOptions,
  log: (line: string) => void,
): Promise<Uint8Array | undefined> {
  const present = await stat(options.archive).then(
    () => true,
    () => false,
  );
  if (!present) {
    return undefined;
  }
  const dataset = await loadCifar10({ data: options.archive, onNotice: log });
  return encodeSample({
    train: balancedSubset(dataset.train, options.trainImages),
    test: balancedSubset(dataset.test, options.testImages),
  });
}

/** Takes the first `count / 10` images of each class, in file order. */
function balancedSubset(split: CifarSplit, count: number) {
  const perClass = Math.floor(count / 10);
  const countPerClass = new Array<number>(10).fill(0);
  const indices: number[] = [];
  for (let i = 0; i < split.count && indices.length < perClass * 10; i++) {
    const label = split.labels[i]!;
    if (countPerClass[label]! < perClass) {
      countPerClass[label]! += 1;
      indices.push(i);
    }
  }

  const images = new Uint8Array(indices.length * IMAGE_BYTES);
  const labels = new Uint8Array(indices.length);
  indices.forEach((source, target) => {
    images.set(
      split.images.subarray(source * IMAGE_BYTES, (source + 1) * IMAGE_BYTES),
      target * IMAGE_BYTES,
    );
    labels[target] = split.labels[source]!;
  });
  return labelledImages(images, labels);
}

/** Warning of a build whose archive is missing, with what to set or fix. */
export function missingArchiveMessage(options: SampleOptions): string {
  const consequence =
    'building the demo without its sample, so the page will ask for a CIFAR-10 batch file.';
  if (options.archiveFromEnv === true) {
    return (
      `SIMCLR_CIFAR_ARCHIVE points to a missing file ${options.archive}; ${consequence} ` +
      'Point it to cifar-10-binary.tar.gz or its extracted folder to include the sample.'
    );
  }
  return (
    `CIFAR-10 archive not found at ${options.archive}; ${consequence} ` +
    'Set SIMCLR_CIFAR_ARCHIVE to include one.'
  );
}

/**
 * Serves the sample as `/cifar-sample.bin` in `vite dev` and writes it into the build
 * output. When the archive is missing, the build still succeeds and logs a warning,
 * and the page requests a file from the user.
 */
export function cifarSamplePlugin(options: SampleOptions = sampleOptionsFromEnv()): Plugin {
  let sample: Promise<Uint8Array | undefined> | undefined;
  const load = (log: (line: string) => void, warn: (line: string) => void) => {
    sample ??= buildSample(options, log).then((bytes) => {
      if (bytes === undefined) {
        warn(missingArchiveMessage(options));
      } else {
        log(
          `CIFAR-10 sample from ${options.archive}: ${SAMPLE_FILE}, ${bytes.length.toLocaleString('en-US')} bytes.`,
        );
      }
      return bytes;
    });
    return sample;
  };

  return {
    name: 'simclr-demo-cifar-sample',
    async generateBundle() {
      const bytes = await load(
        (line) => this.info(line),
        (line) => this.warn(line),
      );
      if (bytes !== undefined) {
        this.emitFile({ type: 'asset', fileName: SAMPLE_FILE, source: bytes });
      }
    },
    configureServer(server) {
      const logger = server.config.logger;
      server.middlewares.use(`/${SAMPLE_FILE}`, (_request, response, next) => {
        load(
          (line) => logger.info(line),
          (line) => logger.warn(line),
        ).then((bytes) => {
          if (bytes === undefined) {
            response.statusCode = 404;
            response.end();
            return;
          }
          response.setHeader('content-type', 'application/octet-stream');
          response.end(bytes);
        }, next);
      });
    },
  };
}
