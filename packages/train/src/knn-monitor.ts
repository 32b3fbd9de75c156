import type { ImageDataset } from './dataset';
import { extractFeatures } from './features';
import { knnClassify } from './knn';
import type { TrainableModule } from './simclr-trainer';

/** Options of {@link createKnnMonitor}. */
export interface KnnMonitorOptions {
  /** Labelled images whose features form the bank, e.g. the training split. */
  bank: ImageDataset & { labels: Uint8Array };
  /** Labelled images scored against the bank, e.g. the test split. */
  queries: ImageDataset & { labels: Uint8Array };
  /** Runs every `every` epochs, counting from 1, and after the last. Default 1. */
  every?: number;
  /** Neighbours that vote. Default 200. */
  k?: number;
  /** Temperature of the vote weights. Default 0.1. */
  temperature?: number;
  /** Number of classes. Default: one more than the largest bank label. */
  numClasses?: number;
}

/** A kNN accuracy measured by a monitor. */
export interface KnnMeasurement {
  /** 1-based epoch after which it was measured. */
  epoch: number;
  /** Top-1 accuracy of the queries, in [0, 1]. */
  accuracy: number;
  seconds: number;
}

/**
 * Creates the kNN monitor of SimCLR-style training runs. After every `every` epochs it
 * encodes the bank and the queries with the frozen encoder (inference mode, L2-normalised
 * features). It then scores the queries by weighted kNN with cosine similarity (Wu et
 * al., 2018), k 200 and temperature 0.1 by default. The returned function takes the 1-based
 * number of finished epochs and the total, and resolves to undefined on epochs it skips.
 *
 * @throws Error if `every` is not a positive integer.
 */
export function createKnnMonitor(
  encoder: TrainableModule,
  options: KnnMonitorOptions,
): (epoch: number, totalEpochs: number) => Promise<KnnMeasurement | undefined> {
  const every = options.every ?? 1;
  if (!Number.isInteger(every) || every < 1) {
    throw new Error(
      `Invalid kNN monitor interval ${every}: expected a positive integer of epochs.`,
    );
  }
  return async (epoch, totalEpochs) => {
    if (epoch % every !== 0 && epoch !== totalEpochs) {
      return undefined;
    }
    const started = performance.now();
    const bank = await extractFeatures(encoder, options.bank);
    const queries = await extractFeatures(encoder, options.queries);
    const result = await knnClassify(bank, options.bank.labels, queries, options.queries.labels, {
      k: options.k,
      temperature: options.temperature,
      numClasses: options.numClasses,
    });
    return { epoch, accuracy: result.accuracy, seconds: (performance.now() - started) / 1000 };
  };
}
