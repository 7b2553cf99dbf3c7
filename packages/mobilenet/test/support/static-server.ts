// A static file server on 127.0.0.1 (an OS-chosen port) for loadModel's tests: serves a
// directory, records each request, and can leave out Content-Length or stall a file midway.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface StaticServerOptions {
  /** Send bodies chunked, without Content-Length. */
  chunked?: boolean;
  /** Paths (as requested, e.g. `/graph/group1-shard2of2`) whose response sends this many bytes and then never ends. */
  stall?: { path: string; afterBytes: number };
}

export interface StaticServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** Every request path, in arrival order. */
  readonly requests: string[];
  /** Resolves when the stalled response has sent its bytes (and will send no more). */
  readonly stalledOpened: Promise<void>;
  /** Resolves when the connection of the stalled response is closed by the client. */
  readonly stalledClosed: Promise<void>;
  close(): Promise<void>;
}

export async function startStaticServer(root: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const requests: string[] = [];
  let onStalledOpened: () => void = () => {};
  const stalledOpened = new Promise<void>((resolve) => (onStalledOpened = resolve));
  let onStalledClosed: () => void = () => {};
  const stalledClosed = new Promise<void>((resolve) => (onStalledClosed = resolve));
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    requests.push(path);
    const file = join(root, normalize(path));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const size = statSync(file).size;
    const headers: Record<string, string | number> = { 'content-type': path.endsWith('.json') ? 'application/json' : 'application/octet-stream' };
    if (!options.chunked) headers['content-length'] = size;
    response.writeHead(200, headers);
    if (options.stall?.path === path) {
      response.write(readFileSync(file).subarray(0, options.stall.afterBytes));
      response.on('close', () => onStalledClosed());
      onStalledOpened();
      return;
    }
    createReadStream(file, { highWaterMark: 64 * 1024 }).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    stalledOpened,
    stalledClosed,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
