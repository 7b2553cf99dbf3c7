/**
 * The part of `apps/bench/results/package-sizes.json` the results page shows: what each
 * published package costs an application, as `pnpm --filter consumer-check sizes` measured it
 * (packed tarball; each entry point bundled with esbuild for the browser, minified and
 * gzipped). Like the bench's results, the JSON file is the interface: the docs never import
 * apps/consumer-check's code. Sizes are bytes.
 */

/** The results folder's file that holds package sizes rather than a bench run. */
export const PACKAGE_SIZES_FILE = 'package-sizes.json';

/** One entry point (`@sepconv/tensor`, `@sepconv/tensor/reference`) bundled: its own code, and with its @sepconv dependencies. */
export interface EntryPointSize {
  readonly specifier: string;
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
  readonly withDependencies: { readonly gzipBytes: number };
}

/** `package-sizes.json` as the page needs it; the file holds more (file counts, unpacked bytes). */
export interface PackageSizesReport {
  readonly kind: 'package-sizes';
  readonly generatedAt: string;
  /** The commit the packages were built from; null outside a git checkout. */
  readonly commit: string | null;
  readonly method: { readonly packed: string; readonly bundled: string };
  readonly packages: readonly { readonly version: string; readonly packedBytes: number; readonly entryPoints: readonly EntryPointSize[] }[];
  /** An application that needs only the cost model (`entry`, its source) bundled: the packages that reached it, and any kernel code. */
  readonly costOnly: {
    readonly entry: string;
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
