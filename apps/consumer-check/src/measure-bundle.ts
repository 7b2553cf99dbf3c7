import { builtinModules } from 'node:module';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

/** One esbuild bundle of an entry written as source, measured. */
export interface BundleMeasurement {
  /** Minified bytes of the bundle. */
  readonly minifiedBytes: number;
  /** gzip (level 9) of the minified bundle: what a browser downloads. */
  readonly gzipBytes: number;
  /** The input files that reached the bundle (after tree-shaking), with their output bytes. */
  readonly inputs: Readonly<Record<string, number>>;
  /** The unminified bundle text, for checks on what code made it in. */
  readonly readableText: string;
}

export interface BundleOptions {
  /** The folder whose node_modules resolve the entry's imports (the consumer project). */
  readonly resolveDir: string;
  /** Packages left out of the bundle (e.g. a package's own @sepconv dependencies). */
  readonly external?: readonly string[];
}

async function bundle(contents: string, options: BundleOptions, minify: boolean): Promise<{ text: string; metafile: Metafile }> {
  const result = await build({
    stdin: { contents, resolveDir: options.resolveDir, loader: 'js', sourcefile: 'entry.js' },
    bundle: true,
    write: false,
    format: 'esm',
    // A browser bundle: Node built-ins that a package imports only on Node (the CPU backend's
    // worker_threads, with or without the `node:` prefix) stay as imports instead of failing the build.
    platform: 'browser',
    target: 'es2022',
    external: ['node:*', ...builtinModules, 'webgpu', ...(options.external ?? [])],
    minify,
    metafile: true,
    logLevel: 'silent',
  });
  return { text: result.outputFiles[0]!.text, metafile: result.metafile };
}

/**
 * Bundles `contents` (an ES module importing published packages) the way an application's
 * bundler would — esbuild, ESM, tree-shaken — and measures it minified and gzipped. Also
 * keeps an unminified build so callers can check which functions survived tree-shaking.
 */
export async function measureBundle(contents: string, options: BundleOptions): Promise<BundleMeasurement> {
  const [minified, readable] = await Promise.all([bundle(contents, options, true), bundle(contents, options, false)]);
  const output = Object.values(minified.metafile.outputs)[0]!;
  return {
    minifiedBytes: Buffer.byteLength(minified.text),
    gzipBytes: gzipSync(minified.text, { level: 9 }).length,
    inputs: Object.fromEntries(Object.entries(output.inputs).map(([path, { bytesInOutput }]) => [path, bytesInOutput])),
    readableText: readable.text,
  };
}
