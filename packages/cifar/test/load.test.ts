import { readdir, readFile, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { create } from 'tar';
import { describe, expect, it } from 'vitest';
import { CifarDataError, loadCifar10 } from '../src/index.js';
import {
  CLASS_NAMES,
  fixtureLabel,
  fixturePixel,
  makeCifarArchive,
  writeCifarFolder,
} from './cifar-fixture.js';
import { useLocalServers } from './local-server.js';
import { useTempFolders } from './temp-folder.js';

const makeTempFolder = useTempFolders();
const startServer = useLocalServers();

describe('loadCifar10', () => {
  it('downloads, extracts and parses', async () => {
    const fixture = await makeCifarArchive(await makeTempFolder());
    const server = await startServer((_request, response: ServerResponse) => {
      response.writeHead(200, { 'content-length': fixture.bytes.length }).end(fixture.bytes);
    });
    const cacheDir = await makeTempFolder();
    let progressCalls = 0;

    const dataset = await loadCifar10({
      cacheDir,
      url: server.url,
      md5: fixture.md5,
      onProgress: () => progressCalls++,
    });

    expect(dataset.train.count).toBe(12);
    expect(dataset.test.count).toBe(3);
    expect(dataset.classNames).toEqual(CLASS_NAMES);
    expect(dataset.test.labels[2]).toBe(fixtureLabel(5, 2));
    expect(progressCalls).toBeGreaterThan(0);
    expect((await readdir(cacheDir)).sort()).toEqual([
      'cifar-10-binary.tar.gz',
      `cifar-10-extracted-${fixture.md5}`,
    ]);
  });

  it('reads a local folder in place', async () => {
    const root = await makeTempFolder();
    const folder = await writeCifarFolder(root);
    const cacheDir = join(await makeTempFolder(), 'cache');

    const fromParent = await loadCifar10({ data: root, cacheDir });
    const fromFolder = await loadCifar10({ data: folder, cacheDir });

    expect(fromParent.train.count).toBe(12);
    expect(fromFolder.train.images).toEqual(fromParent.train.images);
    await expect(readdir(cacheDir)).rejects.toThrow(/ENOENT/);
  });

  it('accepts a non-official local archive with a notice', async () => {
    const fixture = await makeCifarArchive(await makeTempFolder());
    const cacheDir = await makeTempFolder();
    const notices: string[] = [];

    const dataset = await loadCifar10({
      data: fixture.archivePath,
      cacheDir,
      onNotice: (m) => notices.push(m),
    });

    expect(dataset.test.count).toBe(3);
    expect(notices).toEqual([
      `Using ${fixture.archivePath}: its md5 ${fixture.md5} differs from the official archive's ` +
        'c32a1d4ab5d03f1284b67883e8d87530, but its layout is valid (12 train and 3 test images).',
    ]);
    expect(await readdir(cacheDir)).toEqual([`cifar-10-extracted-${fixture.md5}`]);
  });

  it('gives no notice when the md5 matches', async () => {
    const fixture = await makeCifarArchive(await makeTempFolder());
    const notices: string[] = [];

    await loadCifar10({
      data: fixture.archivePath,
      md5: fixture.md5,
      cacheDir: await makeTempFolder(),
      onNotice: (m) => notices.push(m),
    });

    expect(notices).toEqual([]);
  });

  it('reuses the cached extraction', async () => {
    const fixture = await makeCifarArchive(await makeTempFolder());
    const cacheDir = await makeTempFolder();
    await loadCifar10({ data: fixture.archivePath, cacheDir });
    // Changes one pixel in the extracted copy: a second extraction would restore it.
    const batchPath = join(
      cacheDir,
      `cifar-10-extracted-${fixture.md5}`,
      'cifar-10-batches-bin',
      'data_batch_1.bin',
    );
    const batch = await readFile(batchPath);
    batch[1] = (fixturePixel(0, 0, 0, 0, 0) + 1) % 256;
    await writeFile(batchPath, batch);

    const dataset = await loadCifar10({ data: fixture.archivePath, cacheDir });

    expect(dataset.train.images[0]).toBe((fixturePixel(0, 0, 0, 0, 0) + 1) % 256);
  });

  it('rejects a missing data path', async () => {
    const missing = join(await makeTempFolder(), 'nowhere.tar.gz');

    const error = await loadCifar10({ data: missing, cacheDir: await makeTempFolder() }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(CifarDataError);
    expect((error as CifarDataError).code).toBe('NOT_FOUND');
    expect((error as Error).message).toContain(missing);
  });

  it('rejects a data file that is not an archive', async () => {
    const dataPath = join(await makeTempFolder(), 'data_batch_1.bin');
    await writeFile(dataPath, Buffer.alloc(3073, 1));
    const cacheDir = await makeTempFolder();

    const error = await loadCifar10({ data: dataPath, cacheDir }).catch((e: unknown) => e);

    expect((error as CifarDataError).code).toBe('INVALID_ARCHIVE');
    expect((error as Error).message).toContain(`Cannot read ${dataPath} as a tar archive`);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('rejects a local archive with the wrong layout', async () => {
    const root = await makeTempFolder();
    const archivePath = join(root, 'other.tar.gz');
    await writeFile(join(root, 'note.txt'), 'not cifar');
    await create({ gzip: true, file: archivePath, cwd: root }, ['note.txt']);
    const cacheDir = await makeTempFolder();

    const error = await loadCifar10({ data: archivePath, cacheDir }).catch((e: unknown) => e);

    expect((error as CifarDataError).code).toBe('INVALID_ARCHIVE');
    expect((error as Error).message).toContain('cifar-10-batches-bin/data_batch_1.bin is missing');
    expect(await readdir(cacheDir)).toEqual([]);
  });
});
