import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CifarDataError, extractArchive } from '../src/index.js';
import { makeCifarArchive, makeBatchBytes } from './cifar-fixture.js';
import { makeRawArchive, type RawEntry } from './tar-bytes.js';
import { useTempFolders } from './temp-folder.js';

const makeTempFolder = useTempFolders();

describe('extractArchive', () => {
  it('extracts every member into the target', async () => {
    const fixture = await makeCifarArchive(await makeTempFolder());
    const target = join(await makeTempFolder(), 'cache', 'extracted');

    await extractArchive(fixture.archivePath, target);

    const files = (await readdir(join(target, 'cifar-10-batches-bin'))).sort();
    expect(files).toEqual([
      'batches.meta.txt',
      'data_batch_1.bin',
      'data_batch_2.bin',
      'data_batch_3.bin',
      'data_batch_4.bin',
      'data_batch_5.bin',
      'readme.html',
      'test_batch.bin',
    ]);
    const testBatch = await readFile(join(target, 'cifar-10-batches-bin', 'test_batch.bin'));
    expect(testBatch.equals(makeBatchBytes(5, 3))).toBe(true);
    expect(await readdir(join(target, '..'))).toEqual(['extracted']);
  });

  it('keeps links that stay inside', async () => {
    const parent = await makeTempFolder();
    const archivePath = join(parent, 'links.tar.gz');
    await writeFile(
      archivePath,
      makeRawArchive([
        { path: 'a/b/file.txt', content: 'inside' },
        { path: 'a/b/sibling', type: 'SymbolicLink', linkpath: '../b/file.txt' },
        { path: 'a/hard', type: 'Link', linkpath: 'a/b/file.txt' },
      ]),
    );
    const target = join(parent, 'out');

    await extractArchive(archivePath, target);

    expect(await readFile(join(target, 'a', 'b', 'sibling'), 'utf8')).toBe('inside');
    expect(await readFile(join(target, 'a', 'hard'), 'utf8')).toBe('inside');
  });

  it.each<[string, RawEntry, string]>([
    [
      'parent segment',
      { path: 'cifar-10-batches-bin/../../evil.txt', content: 'x' },
      '"cifar-10-batches-bin/../../evil.txt"',
    ],
    ['leading parent', { path: '../evil.txt', content: 'x' }, '"../evil.txt"'],
    [
      'absolute path',
      { path: '/tmp/simclr-cifar-evil.txt', content: 'x' },
      '"/tmp/simclr-cifar-evil.txt"',
    ],
    [
      'symlink outside',
      { path: 'link', type: 'SymbolicLink', linkpath: '../../outside' },
      '"link" (SymbolicLink to "../../outside")',
    ],
    [
      'absolute symlink',
      { path: 'etc', type: 'SymbolicLink', linkpath: '/etc' },
      '"etc" (SymbolicLink to "/etc")',
    ],
    [
      'hard link outside',
      { path: 'hard', type: 'Link', linkpath: '../secret' },
      '"hard" (Link to "../secret")',
    ],
  ])('rejects %s naming the entry', async (_case, unsafe, named) => {
    const parent = await makeTempFolder();
    const archivePath = join(parent, 'evil.tar.gz');
    await writeFile(
      archivePath,
      makeRawArchive([
        { path: 'ok.txt', content: 'fine' },
        unsafe,
        { path: 'after.txt', content: 'y' },
      ]),
    );
    const target = join(parent, 'out');

    const error = await extractArchive(archivePath, target).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CifarDataError);
    expect((error as CifarDataError).code).toBe('UNSAFE_ARCHIVE_ENTRY');
    expect((error as Error).message).toContain(`entry ${named}`);
    expect((await readdir(parent)).sort()).toEqual(['evil.tar.gz']);
  });

  it('rejects a file that is not a tar archive', async () => {
    const parent = await makeTempFolder();
    const archivePath = join(parent, 'broken.tar.gz');
    await writeFile(archivePath, Buffer.alloc(4096, 7));

    const error = await extractArchive(archivePath, join(parent, 'out')).catch((e: unknown) => e);

    expect((error as CifarDataError).code).toBe('INVALID_ARCHIVE');
    expect((error as Error).message).toContain(`Cannot extract ${archivePath}`);
    expect(await readdir(parent)).toEqual(['broken.tar.gz']);
  });

  it('rejects a truncated archive and leaves no folder', async () => {
    const fixture = await makeCifarArchive(await makeTempFolder());
    const parent = await makeTempFolder();
    const archivePath = join(parent, 'short.tar.gz');
    await writeFile(archivePath, fixture.bytes.subarray(0, fixture.bytes.length >> 1));

    const error = await extractArchive(archivePath, join(parent, 'out')).catch((e: unknown) => e);

    expect((error as CifarDataError).code).toBe('INVALID_ARCHIVE');
    expect(await readdir(parent)).toEqual(['short.tar.gz']);
  });
});
