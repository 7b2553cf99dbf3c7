import { measureBundle } from './measure-bundle.js';
import type { PackedPackage } from './pack-packages.js';

/** Sizes of one entry point (`@sepconv/tensor`, `@sepconv/tensor/reference`, …). */
export interface EntryPointSize {
  readonly specifier: string;
  /** `export *` of the entry point, other @sepconv packages left external: this package's own code. */
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
  /** The same bundle with its @sepconv dependencies included: what an app pays for it alone. */
  readonly withDependencies: { readonly minifiedBytes: number; readonly gzipBytes: number };
}

/** Packed and bundled sizes of one published package. */
export interface PackageSize {
  readonly name: string;
  readonly version: string;
  /** The `.tgz` npm downloads. */
  readonly packedBytes: number;
  /** The files it puts in node_modules (JavaScript, .d.ts, source maps, README, LICENSE). */
  readonly unpackedBytes: number;
  readonly fileCount: number;
  readonly entryPoints: readonly EntryPointSize[];
}

/** What a cost query (`@sepconv/cost` on an `@sepconv/graph` spec) brings into an application bundle. */
export interface CostOnlyBundle {
  readonly entry: string;
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
  /** node_modules packages whose files reached the bundle, with their output bytes. */
  readonly packages: Readonly<Record<string, number>>;
  /** Kernel code that reached the bundle (should be none); see {@link kernelCodeIn}. */
  readonly kernelCode: readonly string[];
}

/** An application that needs only the cost model: a separable layer's multiply-adds. */
export const COST_ONLY_ENTRY =
  "import { layerCost } from '@sepconv/cost';\nimport { separableConv2dLayer } from '@sepconv/graph';\n" +
  "export const multAdds = layerCost(separableConv2dLayer({ inputShape: [1, 14, 14, 512], kernelSize: 3, outChannels: 512, padding: 'same' })).multAdds;\n";

/**
 * Signs of kernel code in a bundle: files of the backend packages or of tensor's reference
 * kernels, the reference kernel functions themselves, inlined WebAssembly (base64 of the
 * `\0asm` magic) and WGSL compute entry points.
 */
export function kernelCodeIn(inputs: Readonly<Record<string, number>>, readableText: string): string[] {
  const found: string[] = [];
  for (const path of Object.keys(inputs)) {
    if (/node_modules\/@sepconv\/(cpu|webgpu|mobilenet)\//.test(path) || /node_modules\/@sepconv\/tensor\/dist\/reference\//.test(path))
      found.push(path);
  }
  for (const [what, pattern] of [
    ['reference kernels', /\breference(Conv2d|DepthwiseConv2d|SeparableConv2d|Kernels)\b|createReferenceBackend/],
    ['inlined WebAssembly', /AGFzbQ/],
    ['WGSL', /@compute|@workgroup_size/],
  ] as const) {
    if (pattern.test(readableText)) found.push(what);
  }
  return found;
}

/** The node_modules package a bundled file belongs to; undefined for the entry itself. */
function packageOf(path: string): string | undefined {
  return path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1];
}

/** Measures every packed package installed in `projectDir` (see {@link PackageSize}). */
export async function measurePackageSizes(projectDir: string, packed: readonly PackedPackage[]): Promise<PackageSize[]> {
  const sizes: PackageSize[] = [];
  // Sequential: each bundle is quick, and measuring on a loaded machine gains nothing from overlap.
  for (const pkg of packed) {
    const others = packed.filter((other) => other.name !== pkg.name).map((other) => other.name);
    const entryPoints: EntryPointSize[] = [];
    for (const subpath of pkg.entryPoints) {
      const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, '')}`;
      const entry = `export * from '${specifier}';\n`;
      const own = await measureBundle(entry, { resolveDir: projectDir, external: others });
      const all = await measureBundle(entry, { resolveDir: projectDir });
      entryPoints.push({
        specifier,
        minifiedBytes: own.minifiedBytes,
        gzipBytes: own.gzipBytes,
        withDependencies: { minifiedBytes: all.minifiedBytes, gzipBytes: all.gzipBytes },
      });
    }
    sizes.push({
      name: pkg.name,
      version: pkg.version,
      packedBytes: pkg.packedBytes,
      unpackedBytes: pkg.unpackedBytes,
      fileCount: pkg.files.length,
      entryPoints,
    });
  }
  return sizes;
}

/** Bundles {@link COST_ONLY_ENTRY} and reports its size, its packages and any kernel code in it. */
export async function measureCostOnlyBundle(projectDir: string): Promise<CostOnlyBundle> {
  const measured = await measureBundle(COST_ONLY_ENTRY, { resolveDir: projectDir });
  const packages: Record<string, number> = {};
  for (const [path, bytes] of Object.entries(measured.inputs)) {
    const name = packageOf(path);
    if (name !== undefined) packages[name] = (packages[name] ?? 0) + bytes;
  }
  return {
    entry: COST_ONLY_ENTRY,
    minifiedBytes: measured.minifiedBytes,
    gzipBytes: measured.gzipBytes,
    packages,
    kernelCode: kernelCodeIn(measured.inputs, measured.readableText),
  };
}
