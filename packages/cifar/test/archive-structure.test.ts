import { rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { create } from 'tar';
import { describe, expect, it } from 'vitest';
import { CifarDataError, verifyArchiveStructure } from '../src/index.js';
import { makeCifarArchive, writeCifarFolder } from './cifar-fixture.js';
import { useTempFolders } from './temp-folder.js';

const makeTempFolder = useTempFolders();

describe('verifyArchiveStructure', () => {
  it('counts records of a valid archive', async () => {
    const fixture = await makeCifarArchive(await makeTempFolder(), [3, 2, 4, 1, 2, 5]);

    const structure = await verifyArchiveStructure(fixture.archivePath);

    expect(structure).toEqual({ trainRecords: 12, testRecords: 5 });
  });

  it('lists missing and mis-sized members', async () => {
    const root = await makeTempFolder();
    const folder = await writeCifarFolder(join(root, 'source'));
    await rm(join(folder, 'data_batch_4.bin'));
    await rm(join(folder, 'batches.meta.txt'));
    await truncate(join(folder, 'test_batch.bin'), 3073 + 5);
    const archivePath = join(root, 'bad.tar.gz');
    await create({ gzip: true, file: archivePath, cwd: join(root, 'source') }, [
      'cifar-10-batches-bin',
    ]);

    const error = await verifyArchiveStructure(archivePath).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CifarDataError);
    const message = (error as Error).message;
    expect(message).toContain(archivePath);
    expect(message).toContain('cifar-10-batches-bin/data_batch_4.bin is missing');
    expect(message).toContain(
      'cifar-10-batches-bin/test_batch.bin is 3078 bytes, not a positive multiple of 3073',
    );
    expect(message).toContain('cifar-10-batches-bin/batches.meta.txt is missing');
  });

  it('accepts members stored with a ./ prefix', async () => {
    const root = await makeTempFolder();
    await writeCifarFolder(root);
    const archivePath = join(root, 'dotted.tar');
    await create({ file: archivePath, cwd: root }, ['./cifar-10-batches-bin']);

    const structure = await verifyArchiveStructure(archivePath);

    expect(structure.testRecords).toBe(3);
  });
});
