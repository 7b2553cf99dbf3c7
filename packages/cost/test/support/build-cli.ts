// vitest globalSetup: builds the `sepconv-cost` bin once before the tests with the package's
// own tsup settings for it (only the output folder differs), so the end-to-end tests spawn
// the real bundled CLI (shebang, ESM, top-level await) without a manual build step.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, type Options } from 'tsup';
import configs from '../../tsup.config.js';
import { cliBinDir } from './cli-bin.js';

export default async function buildCli(): Promise<void> {
  const cliConfig = (Array.isArray(configs) ? configs : []).find((config: Options) => Array.isArray(config.entry) && config.entry.includes('src/cli.ts'));
  if (cliConfig === undefined) throw new Error('tsup.config.ts has no config whose entry is src/cli.ts');
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
