// vitest globalSetup: builds the `sepconv-cost` bin once before the tests with the package's
// own tsup settings for it (only the output folder differs), so the end-to-end tests spawn
// the real bundled CLI (shebang, ESM, top-level await) without a manual build step.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, type Options } from 'tsup';
import config from '../../tsup.config.js';
import { cliBinDir } from './cli-bin.js';

export default async function buildCli(): Promise<void> {
  if (typeof config !== 'object' || Array.isArray(config)) throw new Error('tsup.config.ts must export one config object (the bin)');
  const cliConfig: Options = config;
  await rm(cliBinDir, { recursive: true, force: true });
  await build({
    ...cliConfig,
    entry: { cli: fileURLToPath(new URL('../../src/cli.ts', import.meta.url)) },
    outDir: cliBinDir,
    sourcemap: false,
    config: false,
    silent: true,
  });
}
