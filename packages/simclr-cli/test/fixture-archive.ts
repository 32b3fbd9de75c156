import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { create } from 'tar';

const CLASS_NAMES = [
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

/**
 * Writes a CIFAR-10 archive in the official binary layout with
 * `trainPerFile` records in each of the five training files and `testCount`
 * in the test file. Each class has its own colour, so the classes separate.
 */
export async function writeFixtureArchive(
  folder: string,
  trainPerFile: number,
  testCount: number,
): Promise<string> {
  const batches = join(folder, 'cifar-10-batches-bin');
  await mkdir(batches, { recursive: true });
  const files = [
    'data_batch_1.bin',
    'data_batch_2.bin',
    'data_batch_3.bin',
    'data_batch_4.bin',
    'data_batch_5.bin',
    'test_batch.bin',
  ];
  for (const [fileIndex, name] of files.entries()) {
    const records = fileIndex < 5 ? trainPerFile : testCount;
    const bytes = new Uint8Array(records * 3073);
    for (let record = 0; record < records; record++) {
      const label = (record + fileIndex) % 10;
      const base = record * 3073;
      bytes[base] = label;
      for (let channel = 0; channel < 3; channel++) {
        const level = ((label * 37 + channel * 91) % 200) + 20;
        for (let pixel = 0; pixel < 1024; pixel++) {
          const noise = (pixel * 31 + record * 17 + channel) % 23;
          bytes[base + 1 + channel * 1024 + pixel] = level + noise;
        }
      }
    }
    await writeFile(join(batches, name), bytes);
  }
  await writeFile(join(batches, 'batches.meta.txt'), `${CLASS_NAMES.join('\n')}\n\n`);
  const archive = join(folder, 'cifar-10-binary.tar.gz');
  await create({ gzip: true, file: archive, cwd: folder }, ['cifar-10-batches-bin']);
  return archive;
}
