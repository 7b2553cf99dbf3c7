// vitest globalSetup: builds the `sepconv-cost` bin once before the tests, so the end-to-end
// tests spawn the real bundled CLI (shebang, ESM, top-level await) without a manual build.
// Workspace packages export TypeScript sources during development, so @sepconv/* is bundled
// in; commander stays external, as in the published package.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { cliBinDir } from './cli-bin.js';

export default async function buildCli(): Promise<void> {
  await rm(cliBinDir, { recursive: true, force: true });
  await build({
    entry: { cli: fileURLToPath(new URL('../../src/cli.ts', import.meta.url)) },
    outDir: cliBinDir,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    noExternal: [/^@sepconv\//],
    external: ['commander'],
    config: false,
    silent: true,
    dts: false,
    sourcemap: false,
  });
}
