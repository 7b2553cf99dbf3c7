import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `apps/consumer-check/src/published-packages.ts`). */
export const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A workspace package that is published to npm (its manifest is not `private`). */
export interface PublishedPackage {
  /** npm name, e.g. `@sepconv/cpu`. */
  readonly name: string;
  readonly version: string;
  /** Absolute path of the package's folder. */
  readonly dir: string;
  /** The `exports` subpaths users import, `package.json` left out (e.g. `.`, `./reference`). */
  readonly entryPoints: readonly string[];
}

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  publishConfig?: { exports?: Record<string, unknown> };
  exports?: Record<string, unknown>;
}

/**
 * Every published package under `packages/`, read from the manifests so a new package is
 * checked without editing this list. Ordered by name.
 */
export function publishedPackages(): PublishedPackage[] {
  const packagesDir = join(workspaceRoot, 'packages');
  const found: PublishedPackage[] = [];
  for (const entry of readdirSync(packagesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(packagesDir, entry.name);
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    } catch {
      continue;
    }
    if (manifest.private) continue;
    const exportsMap = manifest.publishConfig?.exports ?? manifest.exports ?? {};
    found.push({
      name: manifest.name,
      version: manifest.version,
      dir,
      entryPoints: Object.keys(exportsMap).filter((subpath) => subpath !== './package.json'),
    });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
