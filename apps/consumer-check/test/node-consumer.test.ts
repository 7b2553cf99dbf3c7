// The installed tarballs used from plain Node and type-checked by tsc, in a project that has
// never seen the monorepo.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const { projectDir } = inject('consumer');
const tscPath = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('consumer project in Node', () => {
  it('imports every package by name and computes the right results', async () => {
    const { stdout } = await run(process.execPath, ['node-consumer.mjs'], { cwd: projectDir, maxBuffer: 16 * 1024 * 1024 });
    const result = JSON.parse(stdout);

    // The CPU backend from the tarball: inlined WebAssembly, the worker pool on 2 threads.
    expect(result.cpu.threads).toBe(2);
    expect(result.cpu.notes).toEqual([]);
    expect(result.cpu.isa).toMatch(/^wasm/);
    expect(result.cpu.shape).toEqual([1, 13, 11, 24]);
    expect(result.cpu.maxAbsError).toBeLessThan(1e-4);
    expect(result.cpu.badFilterError).toEqual({
      name: 'ShapeError',
      message: 'depthwiseConv2d: filter must be [kernelHeight, kernelWidth, inChannels=20, multiplier], got [3, 3, 7, 1]',
      isShapeError: true,
    });

    expect(result.cost).toEqual({ multAdds: 568_740_352, paramsTotal: 4_253_864, separableReduction: expect.closeTo(0.112, 3) });

    expect(result.mobilenet.shape).toEqual([1, 10]);
    expect(result.mobilenet.sum).toBeCloseTo(1, 5);
    expect(result.mobilenet.maxAbsError).toBeLessThan(1e-4);
    expect(result.mobilenet.featuresShape).toEqual([1, 2, 2, 256]);
    expect(result.mobilenet.featuresMaxAbs).toBeGreaterThan(0);
    expect(result.mobilenet.featuresMaxAbsError).toBeLessThan(1e-3 * Math.max(1, result.mobilenet.featuresMaxAbs));

    // Without the optional `webgpu` peer, Node users get a typed error saying what to install.
    expect(result.webgpu.error.name).toBe('UnsupportedError');
    expect(result.webgpu.error.message).toMatch(/^createWebGpuBackend: .*npm i webgpu/s);
  });

  it('runs the sepconv-cost bin installed from the tarball', async () => {
    // The bin as npm linked it into node_modules/.bin, with commander from the registry.
    const { stdout } = await run(join(projectDir, 'node_modules', '.bin', 'sepconv-cost'), ['mobilenet-v1', '--json'], {
      cwd: projectDir,
      maxBuffer: 16 * 1024 * 1024,
    });
    const report = JSON.parse(stdout) as { multAdds: number; params: { total: number; weights: number } };
    expect(report.multAdds).toBe(568_740_352);
    expect(report.params).toMatchObject({ total: 4_253_864, weights: 4_209_088 });
  });

  it.each([
    ['Node ESM resolution, every .d.ts checked; webgpu left out', 'tsconfig.consumer.json'],
    ['bundler resolution, skipLibCheck on, webgpu included', 'tsconfig.consumer-bundler.json'],
  ])('type-checks a consumer against the published .d.ts files (%s)', async (_name, tsconfig) => {
    // Fails (non-zero exit, diagnostics on stdout) on any type error, including an unused @ts-expect-error.
    const { stdout } = await run(process.execPath, [tscPath, '-p', tsconfig], { cwd: projectDir }).catch((error: { stdout?: string }) => ({
      stdout: `tsc failed:\n${error.stdout ?? String(error)}`,
    }));
    expect(stdout).toBe('');
  });
});
