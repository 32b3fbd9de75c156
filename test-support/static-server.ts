// Serves a built folder on 127.0.0.1 for the browser tests.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.bin': 'application/octet-stream',
};

/** A running {@link serveFolder} server. */
export interface StaticServer {
  /** Base URL ending in '/', e.g. 'http://127.0.0.1:41234/'. */
  url: string;
  /** Stops the server and closes its connections. */
  close(): Promise<void>;
}

/**
 * Serves the files under `root` over HTTP on 127.0.0.1 at a free port. A
 * request for a folder serves its index.html; paths that leave `root` get 404.
 */
export async function serveFolder(root: string): Promise<StaticServer> {
  const base = normalize(root);
  const server: Server = createServer((request, response) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      let path = normalize(join(base, pathname));
      if (path !== base && !path.startsWith(base + sep)) {
        response.writeHead(404).end();
        return;
      }
      try {
        if ((await stat(path)).isDirectory()) {
          path = join(path, 'index.html');
        }
        const size = (await stat(path)).size;
        response.writeHead(200, {
          'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
          'content-length': size,
          'cache-control': 'no-store',
        });
        createReadStream(path).pipe(response);
      } catch {
        response.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
