// Tree-shaking and sizes of the installed packages in an application bundle (esbuild).
import { describe, expect, inject, it } from 'vitest';
import { measureBundle } from '../src/measure-bundle.js';
import { kernelCodeIn, measureCostOnlyBundle, measurePackageSizes } from '../src/package-sizes.js';

const { packed, projectDir } = inject('consumer');

describe('bundles of the published packages', () => {
  it('an app that imports only @sepconv/cost (and the specs it counts) gets no kernel code', async () => {
    const bundle = await measureCostOnlyBundle(projectDir);
    expect(bundle.kernelCode).toEqual([]);
    expect(Object.keys(bundle.packages).sort()).toEqual(['@sepconv/cost', '@sepconv/graph', '@sepconv/tensor']);
    expect(bundle.gzipBytes).toBeGreaterThan(0);
  });

  it('the kernel-code check does find kernels where they are', async () => {
    const entry =
      "import { createCpuBackend } from '@sepconv/cpu';\nimport { referenceConv2d } from '@sepconv/tensor/reference';\nexport { createCpuBackend, referenceConv2d };\n";
    const bundle = await measureBundle(entry, { resolveDir: projectDir });
    expect(kernelCodeIn(bundle.inputs, bundle.readableText)).toEqual(
      expect.arrayContaining(['reference kernels', 'inlined WebAssembly', expect.stringMatching(/@sepconv\/cpu\//)]),
    );
  });

  it('an unused import of a backend adds nothing (sideEffects: false)', async () => {
    const bundle = await measureBundle("import '@sepconv/cpu';\nimport '@sepconv/webgpu';\n", { resolveDir: projectDir });
    expect(bundle.minifiedBytes).toBe(0);
  });

  it('measures every package packed and minified+gzipped', async () => {
    const sizes = await measurePackageSizes(projectDir, packed);
    expect(sizes.map((size) => size.name)).toEqual(packed.map((pkg) => pkg.name));
    for (const size of sizes) {
      expect(size.packedBytes, size.name).toBeGreaterThan(0);
      expect(size.unpackedBytes, size.name).toBeGreaterThan(size.packedBytes);
      for (const entry of size.entryPoints) {
        expect(entry.gzipBytes, entry.specifier).toBeGreaterThan(0);
        expect(entry.gzipBytes, entry.specifier).toBeLessThan(entry.minifiedBytes);
        expect(entry.withDependencies.minifiedBytes, entry.specifier).toBeGreaterThanOrEqual(entry.minifiedBytes);
      }
    }
  });
});
