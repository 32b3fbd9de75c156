import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCifar10 } from '../src/index.js';
import { CLASS_NAMES } from './cifar-fixture.js';
import { useTempFolders } from './temp-folder.js';

// A JPEG-rebuilt copy of the official archive lies in shared/data beside the repository on
// development and CI machines; SIMCLR_TEST_ARCHIVE points elsewhere. Its md5 differs from the
// official one, so loading it exercises the structural check and the notice.
const REAL_ARCHIVE =
  process.env.SIMCLR_TEST_ARCHIVE ||
  fileURLToPath(new URL('../../../../shared/data/cifar-10-binary.tar.gz', import.meta.url));

const makeTempFolder = useTempFolders();

/** Mean of each channel over all pixels of an NHWC uint8 array, on the 0–255 scale. */
function channelMeans(images: Uint8Array): number[] {
  const sums = [0, 0, 0];
  for (let i = 0; i < images.length; i += 3) {
    sums[0]! += images[i]!;
    sums[1]! += images[i + 1]!;
    sums[2]! += images[i + 2]!;
  }
  return sums.map((sum) => sum / (images.length / 3));
}

function countPerClass(labels: Uint8Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label]!++;
  return counts;
}

describe('real CIFAR-10 archive', () => {
  it.skipIf(!existsSync(REAL_ARCHIVE))(
    'loads 50,000 train and 10,000 test images',
    async () => {
      const cacheDir = await makeTempFolder();
      const notices: string[] = [];

      const dataset = await loadCifar10({
        data: REAL_ARCHIVE,
        cacheDir,
        onNotice: (m) => notices.push(m),
      });

      expect(dataset.classNames).toEqual(CLASS_NAMES);
      expect(dataset.train.count).toBe(50_000);
      expect(dataset.test.count).toBe(10_000);
      expect(dataset.train.images.length).toBe(50_000 * 32 * 32 * 3);
      expect(dataset.test.images.length).toBe(10_000 * 32 * 32 * 3);
      expect(countPerClass(dataset.train.labels)).toEqual(new Array(10).fill(5_000));
      expect(countPerClass(dataset.test.labels)).toEqual(new Array(10).fill(1_000));
      // Published training-set means of the official release are 0.4914, 0.4822 and 0.4465 (R, G, B)
      // on the 0–1 scale; JPEG decoding moves them by less than 0.1 on the 0–255 scale, and a wrong channel order would swap them.
      const [red, green, blue] = channelMeans(dataset.train.images);
      expect(Math.abs(red! - 0.4914 * 255)).toBeLessThan(0.5);
      expect(Math.abs(green! - 0.4822 * 255)).toBeLessThan(0.5);
      expect(Math.abs(blue! - 0.4465 * 255)).toBeLessThan(0.5);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toContain('50,000 train and 10,000 test images');
    },
    60_000,
  );
});
