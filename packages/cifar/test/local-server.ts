import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface LocalServer {
  /** URL of `/cifar-10-binary.tar.gz` on the server. */
  url: string;
  /** Number of requests received so far. */
  requests: () => number;
}

/** Returns a function that starts an HTTP server on 127.0.0.1 at a free port, closed after the current test. */
export function useLocalServers(): (handler: RequestListener) => Promise<LocalServer> {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  return async (handler) => {
    let requests = 0;
    const server = createServer((request, response) => {
      requests++;
      handler(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );

    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/cifar-10-binary.tar.gz`, requests: () => requests };
  };
}
