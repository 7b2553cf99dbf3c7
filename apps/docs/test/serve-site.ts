/**
 * Global setup of the end-to-end tests: serves the built site (`.vitepress/dist`, built by the
 * `test` script just before vitest starts) on a free local port with VitePress's own preview
 * server, and hands its address to the tests as `inject('siteUrl')`.
 */
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from 'vitepress';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    siteUrl: string;
  }
}

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(join(appRoot, '.vitepress', 'dist', 'index.html'))) {
    throw new Error('docs e2e: the site is not built; run the tests with `pnpm test` (it builds first) or run `pnpm docs` before `vitest`');
  }
  const port = await freePort();
  const app = await serve({ root: appRoot, port });
  project.provide('siteUrl', `http://localhost:${port}`);
  return () =>
    new Promise<void>((resolveClose) => {
      if (app.server) app.server.close(() => resolveClose());
      else resolveClose();
    });
}
