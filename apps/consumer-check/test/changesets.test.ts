// Changesets in independent mode: every published package has a pending changeset (or, once
// released, a CHANGELOG.md), and private packages are never versioned.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishedPackages, workspaceRoot } from '../src/published-packages.js';

const changesetDir = join(workspaceRoot, '.changeset');

/** Package names in a changeset's front matter (`'@sepconv/x': minor`). */
function packagesIn(markdown: string): string[] {
  const frontMatter = markdown.match(/^---\n([\s\S]*?)\n---/)?.[1] ?? '';
  return frontMatter
    .split('\n')
    .map((line) => line.match(/^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/)?.[1])
    .filter((name): name is string => name !== undefined);
}

describe('changesets', () => {
  const config = JSON.parse(readFileSync(join(changesetDir, 'config.json'), 'utf8'));
  const named = readdirSync(changesetDir)
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .flatMap((file) => packagesIn(readFileSync(join(changesetDir, file), 'utf8')));

  it('versions packages independently and never versions private ones', () => {
    expect(config.fixed).toEqual([]);
    expect(config.linked).toEqual([]);
    expect(config.privatePackages).toEqual({ version: false, tag: false });
  });

  it.each(publishedPackages().map((pkg) => [pkg.name, pkg] as const))('%s has a changeset or a changelog', (name, pkg) => {
    expect(named.includes(name) || existsSync(join(pkg.dir, 'CHANGELOG.md'))).toBe(true);
  });

  it('names only published packages', () => {
    const published = new Set(publishedPackages().map((pkg) => pkg.name));
    expect(named.filter((name) => !published.has(name))).toEqual([]);
  });

  // Right after `changeset version` no changeset is pending, so the check above may see none: the
  // front-matter reader it relies on is checked here on its own.
  it('reads the package names of a changeset front matter', () => {
    const markdown = '---\n\'@sepconv/tensor\': minor\n"@sepconv/cpu": patch\n---\n\nWhat changed.\n';
    expect(packagesIn(markdown)).toEqual(['@sepconv/tensor', '@sepconv/cpu']);
  });
});
