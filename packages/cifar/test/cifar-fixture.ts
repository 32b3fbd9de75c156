// Builds small CIFAR-10 archives in the official binary layout, with pixels and labels given by
// formulas so that tests can check every decoded value.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { create } from 'tar';

export const FILE_NAMES = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
  'test_batch.bin',
] as const;

export const CLASS_NAMES = [
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
];

/** Records per file, in {@link FILE_NAMES} order, unless a test passes other counts. */
export const DEFAULT_RECORDS = [3, 2, 4, 1, 2, 3];

/** Pixel value of file `file` (index into FILE_NAMES), record, channel (0 red … 2 blue), row and column. */
export function fixturePixel(
  file: number,
  record: number,
  channel: number,
  row: number,
  column: number,
): number {
  return (file * 41 + record * 13 + channel * 101 + row * 7 + column * 3) % 256;
}

export function fixtureLabel(file: number, record: number): number {
  return (file * 3 + record) % 10;
}

/** Encodes one batch file as the official release does: per record a label, then the R, G and B planes. */
export function makeBatchBytes(file: number, records: number): Uint8Array {
  const bytes = new Uint8Array(records * 3073);
  for (let record = 0; record < records; record++) {
    const base = record * 3073;
    bytes[base] = fixtureLabel(file, record);
    for (let channel = 0; channel < 3; channel++) {
      for (let row = 0; row < 32; row++) {
        for (let column = 0; column < 32; column++) {
          bytes[base + 1 + channel * 1024 + row * 32 + column] = fixturePixel(
            file,
            record,
            channel,
            row,
            column,
          );
        }
      }
    }
  }
  return bytes;
}

/** Writes `root/cifar-10-batches-bin/` with the six batch files and class names; returns that folder. */
export async function writeCifarFolder(
  root: string,
  records: number[] = DEFAULT_RECORDS,
): Promise<string> {
  const folder = join(root, 'cifar-10-batches-bin');
  await mkdir(folder, { recursive: true });
  for (const [file, name] of FILE_NAMES.entries()) {
    await writeFile(join(folder, name), makeBatchBytes(file, records[file]!));
  }
  await writeFile(join(folder, 'batches.meta.txt'), `${CLASS_NAMES.join('\n')}\n\n`);
  await writeFile(join(folder, 'readme.html'), '<p>fixture</p>\n');
  return folder;
}

export interface FixtureArchive {
  /** Path of the `.tar.gz`. */
  archivePath: string;
  /** md5 of the archive bytes. */
  md5: string;
  /** Archive bytes, for serving over HTTP. */
  bytes: Buffer;
}

/** Writes `root/source/cifar-10-batches-bin/` and packs it into `root/cifar-10-binary.tar.gz`. */
export async function makeCifarArchive(
  root: string,
  records: number[] = DEFAULT_RECORDS,
): Promise<FixtureArchive> {
  const source = join(root, 'source');
  await writeCifarFolder(source, records);

  const archivePath = join(root, 'cifar-10-binary.tar.gz');
  await create({ gzip: true, file: archivePath, cwd: source, portable: true }, [
    'cifar-10-batches-bin',
  ]);

  const bytes = await readFile(archivePath);
  return { archivePath, md5: createHash('md5').update(bytes).digest('hex'), bytes };
}
