export { verifyArchiveStructure, type ArchiveStructure } from './archive-structure.js';
export { CACHE_DIR_ENV, resolveCacheDir } from './cache-dir.js';
export {
  ARCHIVE_FILE_NAME,
  CIFAR10_MD5,
  CIFAR10_URL,
  downloadCifar10,
  type DownloadOptions,
} from './download.js';
export { CifarDataError, type CifarDataErrorCode } from './errors.js';
export { extractArchive } from './extract.js';
export { loadCifar10, type LoadCifar10Options } from './load.js';
export { md5File } from './md5-file.js';
export { parseCifar10Folder } from './parse-folder.js';
export type {
  CifarDataset,
  CifarSplit,
  DownloadProgress,
  NoticeCallback,
  ProgressCallback,
} from './types.js';
