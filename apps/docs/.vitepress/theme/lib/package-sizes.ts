/**
 * The part of `apps/bench/results/package-sizes.json` the results page shows: what each
 * published package costs an application, as `pnpm --filter consumer-check sizes` measured it
 * (packed tarball; each entry point bundled with esbuild for the browser, minified and
 * gzipped). Like the bench's results, the JSON file is the interface: the docs never import
 * apps/consumer-check's code. Sizes are bytes.
 */

/** The results folder's file that holds package sizes rather than a bench run. */
export const PACKAGE_SIZES_FILE = 'package-sizes.json';

/** One entry point (`@sepconv/tensor`, `@sepconv/tensor/reference`) bundled on its own. */
export interface EntryPointSize {
  readonly specifier: string;
  /** The entry point's own code (other @sepconv packages left out), minified. */
  readonly minifiedBytes: number;
  /** The same, gzipped: what a browser downloads. */
  readonly gzipBytes: number;
  /** With the @sepconv packages it depends on bundled in. */
  readonly withDependencies: { readonly minifiedBytes: number; readonly gzipBytes: number };
}

/** One published package. */
export interface PackageSize {
  readonly name: string;
  readonly version: string;
  /** The `.tgz` that `pnpm pack` writes. */
  readonly packedBytes: number;
  /** The files it installs. */
  readonly unpackedBytes: number;
  readonly entryPoints: readonly EntryPointSize[];
}

/** `package-sizes.json` as the page needs it. */
export interface PackageSizesReport {
  readonly kind: 'package-sizes';
  readonly generatedAt: string;
  /** The commit the packages were built from; null outside a git checkout. */
  readonly commit: string | null;
  readonly method: { readonly packed: string; readonly bundled: string };
  readonly packages: readonly PackageSize[];
  /** A cost-only import (`modelCost(mobilenetV1())`) bundled: its size, the packages it pulls in (bytes of each), any kernel code found. */
  readonly costOnly: {
    readonly gzipBytes: number;
    readonly packages: Readonly<Record<string, number>>;
    readonly kernelCode: readonly string[];
  };
}

/** A file the page can read as package sizes. */
export function isPackageSizesReport(value: unknown): value is PackageSizesReport {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.kind === 'package-sizes' && typeof v.generatedAt === 'string' && Array.isArray(v.packages) && typeof v.costOnly === 'object';
}
