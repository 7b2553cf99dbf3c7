#!/usr/bin/env node
/**
 * `pnpm bench [options]` at the root: builds what the bench imports (`turbo run build
 * --filter=bench^...`, cached after the first time, its log shown only when it fails), then
 * runs apps/bench's CLI with the options, e.g. `pnpm bench --quick`, `pnpm bench --list`.
 *
 * Why a script and not `turbo run bench`: turbo rejects flags it does not know, and
 * `turbo run bench -- --flag` puts the flag into the task hash, which rebuilds every
 * dependency. Here the options go to the app only. `turbo run bench` still runs the full suite.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
// pnpm passes a literal `--` through (`pnpm bench -- --quick`); the app's CLI drops it too.
if (args[0] === '--') args.shift();

process.stderr.write('bench: building the packages it runs (turbo run build --filter=bench^...)\n');
const build = spawnSync(join(root, 'node_modules', '.bin', 'turbo'), ['run', 'build', '--filter=bench^...', '--output-logs=errors-only'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  shell: process.platform === 'win32',
});
if (build.status !== 0) {
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}${build.error ? `${build.error.message}\n` : ''}bench: the build failed\n`);
  process.exit(build.status ?? 1);
}

const bench = spawnSync('pnpm', ['--dir', join(root, 'apps', 'bench'), 'run', 'bench', ...args], {
  cwd: root,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
if (bench.error) {
  process.stderr.write(`bench: ${bench.error.message}\n`);
  process.exit(1);
}
process.exit(bench.status ?? 1);
