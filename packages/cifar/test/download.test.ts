import { readdir, writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CifarDataError, downloadCifar10, md5File } from '../src/index.js';
import type { DownloadProgress } from '../src/index.js';
import { makeCifarArchive } from './cifar-fixture.js';
import { useLocalServers } from './local-server.js';
import { useTempFolders } from './temp-folder.js';

const makeTempFolder = useTempFolders();
const startServer = useLocalServers();

/** Serves `bytes` with a Content-Length in 4 KiB writes. */
function serveBytes(bytes: Buffer) {
  return (_request: unknown, response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'application/gzip', 'content-length': bytes.length });
    for (let start = 0; start < bytes.length; start += 4096) {
      response.write(bytes.subarray(start, start + 4096));
    }
    response.end();
  };
}

async function setUp() {
  const fixture = await makeCifarArchive(await makeTempFolder());
  const cacheDir = join(await makeTempFolder(), 'cache');
  return { fixture, cacheDir };
}

describe('downloadCifar10', () => {
  it('stores a verified archive in the cache', async () => {
    const { fixture, cacheDir } = await setUp();
    const server = await startServer(serveBytes(fixture.bytes));
    const progress: DownloadProgress[] = [];

    const path = await downloadCifar10({
      cacheDir,
      url: server.url,
      md5: fixture.md5,
      onProgress: (p) => progress.push(p),
    });

    expect(path).toBe(join(cacheDir, 'cifar-10-binary.tar.gz'));
    expect(await md5File(path)).toBe(fixture.md5);
    expect(await readdir(cacheDir)).toEqual(['cifar-10-binary.tar.gz']);
    const last = progress.at(-1)!;
    expect(last.receivedBytes).toBe(fixture.bytes.length);
    expect(last.totalBytes).toBe(fixture.bytes.length);
    expect(last.etaSeconds).toBe(0);
    expect(last.bytesPerSecond).toBeGreaterThan(0);
  });

  it('reuses a verified cached copy', async () => {
    const { fixture, cacheDir } = await setUp();
    const server = await startServer(serveBytes(fixture.bytes));
    await downloadCifar10({ cacheDir, url: server.url, md5: fixture.md5 });

    const path = await downloadCifar10({ cacheDir, url: server.url, md5: fixture.md5 });

    expect(server.requests()).toBe(1);
    expect(await md5File(path)).toBe(fixture.md5);
  });

  it('replaces a cached copy that fails verification', async () => {
    const { fixture, cacheDir } = await setUp();
    const server = await startServer(serveBytes(fixture.bytes));
    await downloadCifar10({ cacheDir, url: server.url, md5: fixture.md5 });
    await writeFile(join(cacheDir, 'cifar-10-binary.tar.gz'), 'damaged');
    const notices: string[] = [];

    const path = await downloadCifar10({
      cacheDir,
      url: server.url,
      md5: fixture.md5,
      onNotice: (m) => notices.push(m),
    });

    expect(server.requests()).toBe(2);
    expect(await md5File(path)).toBe(fixture.md5);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/downloading it again/);
  });

  it('rejects a checksum mismatch and keeps nothing', async () => {
    const { fixture, cacheDir } = await setUp();
    const server = await startServer(serveBytes(fixture.bytes));

    const error = await downloadCifar10({ cacheDir, url: server.url, md5: '0'.repeat(32) }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(CifarDataError);
    expect((error as CifarDataError).code).toBe('CHECKSUM_MISMATCH');
    expect((error as Error).message).toContain(server.url);
    expect((error as Error).message).toContain(`is ${fixture.md5}, expected ${'0'.repeat(32)}`);
    expect((error as Error).message).toMatch(/--data PATH/);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('rejects a connection cut mid-transfer and keeps nothing', async () => {
    const { fixture, cacheDir } = await setUp();
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-length': fixture.bytes.length });
      response.write(fixture.bytes.subarray(0, fixture.bytes.length >> 1), () => {
        response.socket?.destroy();
      });
    });

    const error = await downloadCifar10({ cacheDir, url: server.url, md5: fixture.md5 }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(CifarDataError);
    expect((error as CifarDataError).code).toBe('DOWNLOAD_FAILED');
    expect((error as Error).message).toContain(`Download of ${server.url} failed`);
    // Only a lower bound on the bytes counted is stable, because fetch drops chunks still queued when the socket fails.
    expect((error as Error).message).toMatch(
      new RegExp(`after \\d+ of ${fixture.bytes.length} bytes`),
    );
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('rejects a body shorter than its Content-Length', async () => {
    const { fixture, cacheDir } = await setUp();
    const server = await startServer((_request, response) => {
      // A body that ends cleanly but early, as after a proxy drops the tail.
      response.writeHead(200, { 'content-length': fixture.bytes.length, connection: 'close' });
      response.flushHeaders();
      response.socket?.end(fixture.bytes.subarray(0, 100));
    });

    const error = await downloadCifar10({ cacheDir, url: server.url, md5: fixture.md5 }).catch(
      (e: unknown) => e,
    );

    expect((error as CifarDataError).code).toBe('DOWNLOAD_FAILED');
    expect((error as Error).message).toMatch(
      new RegExp(`after \\d+ of ${fixture.bytes.length} bytes`),
    );
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('rejects HTTP 404 naming the status', async () => {
    const { cacheDir } = await setUp();
    const server = await startServer((_request, response) => {
      response.writeHead(404, 'Not Found').end('no such file');
    });

    const error = await downloadCifar10({ cacheDir, url: server.url }).catch((e: unknown) => e);

    expect((error as CifarDataError).code).toBe('DOWNLOAD_FAILED');
    expect((error as Error).message).toContain(
      `Download of ${server.url} failed: HTTP 404 Not Found`,
    );
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('aborts a stalled transfer', async () => {
    const { fixture, cacheDir } = await setUp();
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-length': fixture.bytes.length });
      response.write(fixture.bytes.subarray(0, 1000));
    });

    const error = await downloadCifar10({
      cacheDir,
      url: server.url,
      md5: fixture.md5,
      stallTimeoutMs: 300,
    }).catch((e: unknown) => e);

    expect((error as Error).message).toMatch(/no data received for 0.3 s/);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('rejects a malformed md5 option', async () => {
    const { cacheDir } = await setUp();

    await expect(downloadCifar10({ cacheDir, md5: 'abc' })).rejects.toThrow(
      'Invalid md5 option "abc": expected an md5 checksum of 32 hex digits.',
    );
  });

  it('reports an unreachable server', async () => {
    const { cacheDir } = await setUp();
    const closedUrl = await urlOfClosedPort();

    const error = await downloadCifar10({ cacheDir, url: closedUrl }).catch((e: unknown) => e);

    expect((error as CifarDataError).code).toBe('DOWNLOAD_FAILED');
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect(await readdir(cacheDir)).toEqual([]);
  });
});

/** Returns a URL on 127.0.0.1 whose port was free a moment ago, so connecting is refused. */
async function urlOfClosedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/cifar-10-binary.tar.gz`;
}
