import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { PackedPackage } from './pack-packages.js';

const run = promisify(execFile);

/** The files copied into the consumer project: the Node script, the typed consumer, the page. */
export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/**
 * Creates a fresh npm project in `dir` (which must be outside the workspace, so nothing
 * resolves through the monorepo's node_modules) that depends on each tarball by path, and
 * installs it with plain npm. Inter-package ranges in the tarballs (`@sepconv/tensor: ^0.0.0`)
 * are satisfied by the tarballs installed at the top level; third-party dependencies come from
 * the registry. Copies the fixtures in. Returns the npm output for diagnostics.
 */
export async function createConsumerProject(dir: string, packed: readonly PackedPackage[]): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: 'sepconv-consumer',
    version: '1.0.0',
    private: true,
    type: 'module',
    dependencies: Object.fromEntries(packed.map((pkg) => [pkg.name, `file:${pkg.tarball}`])),
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  cpSync(fixturesDir, dir, { recursive: true });
  const { stdout, stderr } = await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
    // A user's install: no workspace settings leak in from the environment pnpm set for this test.
    env: Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|PNPM_|pnpm_)/.test(key))),
  });
  return `${stdout}${stderr}`;
}
