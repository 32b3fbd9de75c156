import { loadCifar10, type CifarDataset } from '@simclr-ts/cifar';
import { createProgress } from './progress';

/** Options shared by every command that reads CIFAR-10. */
export interface DataOptions {
  /** Local archive or extracted folder; undefined downloads into the cache. */
  data?: string;
  cacheDir?: string;
}

/** Loads CIFAR-10, showing download progress and notices on stderr. */
export async function loadData(options: DataOptions): Promise<CifarDataset> {
  const download = createProgress('download', 'MB');
  const dataset = await loadCifar10({
    data: options.data,
    cacheDir: options.cacheDir,
    onNotice: (message) => process.stderr.write(`notice: ${message}\n`),
    onProgress: (progress) => {
      const megabytes = (bytes: number) => Math.round(bytes / 1e6);
      download.update({
        done: megabytes(progress.receivedBytes),
        total: megabytes(progress.totalBytes ?? progress.receivedBytes),
        detail: 'cifar-10-binary.tar.gz',
        rate: progress.bytesPerSecond / 1e6,
        etaSeconds: progress.etaSeconds ?? Number.NaN,
      });
    },
  });
  download.stop();
  return dataset;
}
