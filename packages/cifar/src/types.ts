/** One split of CIFAR-10 as uint8 pixels in NHWC order. */
export interface CifarSplit {
  /** Pixels `[count, 32, 32, 3]` in NHWC order (rows top to bottom, RGB), values 0–255. */
  images: Uint8Array;
  /** Class index of each image, `[count]`, values 0–9. */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
  height: 32;
  width: 32;
  channels: 3;
}

/** CIFAR-10 training and test splits with the class names. */
export interface CifarDataset {
  /** Records of `data_batch_1.bin` … `data_batch_5.bin`, in file order (50,000 in the official release). */
  train: CifarSplit;
  /** Records of `test_batch.bin` (10,000 in the official release). */
  test: CifarSplit;
  /** Class names in label order, from `batches.meta.txt` (`airplane` … `truck`). */
  classNames: string[];
}

/** Download progress, reported at most every 200 ms and once at the end. */
export interface DownloadProgress {
  /** Bytes received so far. */
  receivedBytes: number;
  /** Size from the Content-Length header, when the server sends one. */
  totalBytes?: number;
  /** Mean rate since the download started, in bytes per second. */
  bytesPerSecond: number;
  /** Estimated seconds left at the mean rate, when the total size is known. */
  etaSeconds?: number;
}

/** Receives download progress. */
export type ProgressCallback = (progress: DownloadProgress) => void;

/** Receives one-line notices, such as the use of an archive whose md5 is not the official one. */
export type NoticeCallback = (message: string) => void;
