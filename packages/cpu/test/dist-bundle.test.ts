import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The published package is tsup's bundle, run outside the monorepo: its inlined worker and
// WebAssembly must work there too, and dispose() must let the process exit.
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
let outDir: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'sepconv-cpu-dist-'));
  await build({
    // The tensor entry shares one chunk of @sepconv/tensor with the backend, as a user's
    // installed copy would.
    entry: { index: join(packageRoot, 'src/index.ts'), tensor: createRequire(import.meta.url).resolve('@sepconv/tensor') },
    outDir,
    format: ['esm'],
    splitting: true,
    target: 'es2022',
    // Bundled here only because the workspace's @sepconv/tensor exports TypeScript sources.
    noExternal: ['@sepconv/tensor'],
    silent: true,
    config: false,
  });
}, 60_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the built bundle', () => {
  it('runs on 2 threads from a plain Node process, agrees with 1 thread, and exits after dispose()', () => {
    const script = join(outDir, 'smoke.mjs');
    writeFileSync(
      script,
      `import { createCpuBackend } from './index.js';
import { tensor } from './tensor.js';
const x = tensor(Float32Array.from({ length: 648 }, (_, i) => Math.sin(i)), [1, 9, 9, 8]);
const filter = tensor(Float32Array.from({ length: 96 }, (_, i) => Math.cos(i)), [8, 12]);
const one = await createCpuBackend({ threads: 1 });
const two = await createCpuBackend({ threads: 2, parallelThreshold: 0 });
const [a, b] = [await one.read(one.pointwiseConv2d(x, filter)), await two.read(two.pointwiseConv2d(x, filter))];
console.log(JSON.stringify({ threads: two.threads, same: a.every((v, i) => v === b[i]), length: a.length }));
one.dispose();
two.dispose();
`,
    );
    const result = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toEqual({ threads: 2, same: true, length: 81 * 12 });
  });
});
