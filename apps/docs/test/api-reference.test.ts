import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The generated API reference, as built by `pnpm run docs` before these tests: every published
// package has a front page whose exports each carry a one-line summary, and the sidebar of
// every API page lists every package.

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesRoot = join(appRoot, '..', '..', 'packages');
const dist = join(appRoot, '.vitepress', 'dist');

interface Manifest {
  readonly name: string;
  readonly private?: boolean;
}

const published = readdirSync(packagesRoot)
  .filter((dir) => existsSync(join(packagesRoot, dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(packagesRoot, dir, 'package.json'), 'utf8')) as Manifest }))
  .filter(({ manifest }) => manifest.private !== true);

/** The rows of a front page's export tables: `| [name](link) | summary |`. */
function exportRows(markdown: string): { name: string; summary: string }[] {
  return [...markdown.matchAll(/^\| \[([^\]]+)\]\([^)]*\) \| (.*) \|$/gm)].map((match) => ({
    name: match[1] ?? '',
    summary: (match[2] ?? '').trim(),
  }));
}

describe('the API reference', () => {
  it('covers every published package', () => {
    expect(published.map((p) => p.manifest.name)).toEqual(expect.arrayContaining(['@sepconv/tensor', '@sepconv/cli']));
    const listed = JSON.parse(readFileSync(join(appRoot, 'api', 'packages.json'), 'utf8')) as string[];
    expect([...listed].sort()).toEqual(published.map((p) => p.dir).sort());
  });

  for (const { dir, manifest } of published) {
    it(`${manifest.name}: the front page gives every export a one-line summary of its own`, () => {
      const markdown = readFileSync(join(appRoot, 'api', dir, 'index.md'), 'utf8');
      const rows = exportRows(markdown);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter((row) => row.summary === '').map((row) => row.name)).toEqual([]);
      // A package's own comment attached to its first export (no `@packageDocumentation`) reads as that export's summary.
      expect(rows.filter((row) => row.summary.startsWith(`\`${manifest.name}\``)).map((row) => row.name)).toEqual([]);
    });

    it(`${manifest.name} is in the sidebar of the API pages`, () => {
      const html = readFileSync(join(dist, 'api', 'index.html'), 'utf8');
      expect(html).toContain(`href="/api/${dir}/"`);
    });
  }

  it("the docs app's README is not published as a page", () => {
    expect(existsSync(join(dist, 'README.html'))).toBe(false);
    expect(existsSync(join(dist, 'index.html'))).toBe(true);
  });
});
