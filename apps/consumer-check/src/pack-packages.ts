import { execFile } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PublishedPackage } from './published-packages.js';

const run = promisify(execFile);

/** The manifest as it is inside the tarball, after pnpm applied `publishConfig`. */
export interface PackedManifest {
  name: string;
  version: string;
  type?: string;
  sideEffects?: boolean;
  exports?: Record<string, unknown>;
  files?: string[];
  engines?: Record<string, string>;
  license?: string;
  repository?: unknown;
  keywords?: string[];
  bin?: Record<string, string> | string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  publishConfig?: unknown;
}

/** A published package packed with `pnpm pack`, as npm would receive it. */
export interface PackedPackage extends PublishedPackage {
  /** Absolute path of the `.tgz`. */
  readonly tarball: string;
  /** Size of the `.tgz` in bytes (what a user downloads). */
  readonly packedBytes: number;
  /** Sum of the file sizes inside the tarball (what lands in node_modules). */
  readonly unpackedBytes: number;
  /** Paths inside the tarball, relative to the package root (`dist/index.js`, …). */
  readonly files: readonly string[];
  readonly manifest: PackedManifest;
}

async function tarEntries(tarball: string): Promise<{ path: string; size: number }[]> {
  // `tar -tv` prints `mode owner size date time path`; the path is everything after the time.
  const { stdout } = await run('tar', ['-tzvf', tarball], { maxBuffer: 16 * 1024 * 1024 });
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = line.match(/^\S+\s+\S+\s+(\d+)\s+\S+\s+\S+\s+(.+)$/);
      if (!match) throw new Error(`unexpected tar listing line: ${line}`);
      return { size: Number(match[1]), path: match[2]!.replace(/^package\//, '') };
    });
}

/**
 * Packs each package with `pnpm pack` into `outDir` — pnpm, not npm, because pnpm is what
 * rewrites `exports` from `publishConfig` and turns `workspace:^` into real version ranges —
 * and reads back each tarball's file list and manifest. Packs run concurrently.
 */
export async function packPackages(packages: readonly PublishedPackage[], outDir: string): Promise<PackedPackage[]> {
  mkdirSync(outDir, { recursive: true });
  return Promise.all(
    packages.map(async (pkg): Promise<PackedPackage> => {
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', outDir, '--json'], { cwd: pkg.dir, maxBuffer: 16 * 1024 * 1024 });
      const { filename } = JSON.parse(stdout) as { filename: string };
      const tarball = filename.startsWith('/') ? filename : join(outDir, filename);
      const entries = await tarEntries(tarball);
      const { stdout: manifestText } = await run('tar', ['-xzOf', tarball, 'package/package.json'], { maxBuffer: 16 * 1024 * 1024 });
      return {
        ...pkg,
        tarball,
        packedBytes: statSync(tarball).size,
        unpackedBytes: entries.reduce((sum, entry) => sum + entry.size, 0),
        files: entries.map((entry) => entry.path),
        manifest: JSON.parse(manifestText) as PackedManifest,
      };
    }),
  );
}

/** Reads a text file from a packed tarball (`path` relative to the package root). */
export async function readPackedFile(tarball: string, path: string): Promise<string> {
  const { stdout } = await run('tar', ['-xzOf', tarball, `package/${path}`], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** The files every `exports` condition of a packed manifest points at (`./dist/x.js` → `dist/x.js`). */
export function exportTargets(manifest: PackedManifest): string[] {
  const targets: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') targets.push(value.replace(/^\.\//, ''));
    else if (value && typeof value === 'object') for (const nested of Object.values(value)) visit(nested);
  };
  visit(manifest.exports);
  return targets;
}

/** Every dependency range of a manifest, by section, to check none still says `workspace:`. */
export function dependencyRanges(manifest: PackedManifest): [string, string][] {
  return [...Object.entries(manifest.dependencies ?? {}), ...Object.entries(manifest.peerDependencies ?? {})];
}
