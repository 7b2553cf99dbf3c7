import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { withoutLeadingSeparator } from '../src/cli-arguments.js';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const rootDir = join(appDir, '..', '..');
const run = promisify(execFile);

/** Runs a command as a user types it (no shell), returning stdout; a non-zero exit rejects. */
async function stdoutOf(cwd: string, command: string, args: string[]): Promise<string> {
  const { stdout } = await run(command, args, { cwd, env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' }, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

function expectList(stdout: string): void {
  expect(stdout).toMatch(/^cases \(full\):/m);
  expect(stdout).toMatch(/^ {2}pw-56x56-128to128 /m);
  expect(stdout).toMatch(/^contenders:/m);
  expect(stdout).toMatch(/^ {2}sepconv-cpu-2t +cpu, 2 threads +@sepconv\/cpu$/m);
  // A GPU contender's work runs on the adapter: no host thread count.
  expect(stdout).toMatch(/^ {2}sepconv-webgpu +gpu \(WebGPU\) +@sepconv\/webgpu$/m);
}

describe('withoutLeadingSeparator', () => {
  it('drops the `--` pnpm passes through, and only a leading one', () => {
    expect(withoutLeadingSeparator(['node', 'cli.ts', '--', '--quick'])).toEqual(['node', 'cli.ts', '--quick']);
    expect(withoutLeadingSeparator(['node', 'cli.ts', '--quick'])).toEqual(['node', 'cli.ts', '--quick']);
    expect(withoutLeadingSeparator(['node', 'cli.ts', '--cases', '--', 'x'])).toEqual(['node', 'cli.ts', '--cases', '--', 'x']);
  });
});

// The forms the READMEs document, run as written. `--list` starts no engine, so each takes a
// second or two (the root form also asks turbo for the packages' build, cached after the first).
describe('the documented bench commands', () => {
  it('`pnpm bench --list` at the root', async () => {
    expectList(await stdoutOf(rootDir, 'pnpm', ['bench', '--list']));
  });
  it('`pnpm bench -- --list` at the root (pnpm passes the `--` through)', async () => {
    expectList(await stdoutOf(rootDir, 'pnpm', ['bench', '--', '--list']));
  });
  it('`pnpm --filter bench bench --list` and with `--`', async () => {
    expectList(await stdoutOf(rootDir, 'pnpm', ['--filter', 'bench', 'bench', '--list']));
    expectList(await stdoutOf(rootDir, 'pnpm', ['--filter', 'bench', 'bench', '--', '--list']));
  });
  it('`pnpm bench --list` in apps/bench', async () => {
    expectList(await stdoutOf(appDir, 'pnpm', ['bench', '--list']));
  });
  it('`--save` refuses a quick run: a smoke test is not a result to commit', async () => {
    await expect(stdoutOf(appDir, 'pnpm', ['bench', '--save', '--quick'])).rejects.toMatchObject({
      stderr: expect.stringContaining("option '--save' cannot be used with option '--quick'"),
    });
  });
  it('`pnpm bench:networks --list` in apps/bench', async () => {
    const stdout = await stdoutOf(appDir, 'pnpm', ['bench:networks', '--', '--list']);
    for (const id of ['mobilenet-v1', 'mobilenet-v2', 'mobilenet-v3-large', 'mobilenet-v3-small', 'onnx-mobilenet-v2', 'onnx-mobilenet-v3-large'])
      expect(stdout).toMatch(new RegExp(`^  ${id}-1\\.00-224-b1 `, 'm'));
    expect(stdout).toMatch(/^  onnxruntime-web +cpu, 1 thread/m);
  });
});
