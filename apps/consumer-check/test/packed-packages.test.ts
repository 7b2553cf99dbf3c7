// Each tarball as npm would receive it: pnpm applied publishConfig and replaced workspace
// ranges, and publint and @arethetypeswrong find nothing.
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { manifestProblems, publintProblems, typesProblems } from '../src/packed-problems.js';

const { packed, projectDir } = inject('consumer');

describe('packed packages', () => {
  it('packs every published package', () => {
    expect(packed.map((pkg) => pkg.name)).toEqual([
      '@sepconv/cli',
      '@sepconv/cost',
      '@sepconv/cpu',
      '@sepconv/graph',
      '@sepconv/mobilenet',
      '@sepconv/tensor',
      '@sepconv/webgpu',
    ]);
  });

  describe.each(packed.map((pkg) => [pkg.name, pkg] as const))('%s', (_name, pkg) => {
    it('has a publishable manifest and ships only what users need', () => {
      expect(manifestProblems(pkg)).toEqual([]);
    });

    it('depends on other @sepconv packages by their real version', () => {
      const versions = new Map(packed.map((other) => [other.name, other.version]));
      const internal = Object.entries(pkg.manifest.dependencies ?? {}).filter(([name]) => name.startsWith('@sepconv/'));
      for (const [name, range] of internal) expect(range, name).toBe(`^${versions.get(name)}`);
    });

    it('is publint clean (strict)', async () => {
      expect(await publintProblems(join(projectDir, 'node_modules', pkg.name))).toEqual([]);
    });

    // A bin-only package (@sepconv/cli) has no entry point whose types could resolve.
    it.skipIf(pkg.entryPoints.length === 0)('has types that resolve under Node ESM and bundlers (attw, esm-only)', async () => {
      expect(await typesProblems(pkg.tarball)).toEqual([]);
    });
  });
});
