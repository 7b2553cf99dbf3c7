import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';

const siteUrl = inject('siteUrl');
const distDir = join(dirname(fileURLToPath(import.meta.url)), '..', '.vitepress', 'dist');

/** The URL path a built file is served at (cleanUrls: `guide/cost.html` → `/guide/cost`). */
function pagePath(file: string): string {
  const path = `/${relative(distDir, file).replaceAll('\\', '/')}`;
  return path.endsWith('/index.html') ? path.slice(0, -'index.html'.length) : path.replace(/\.html$/, '');
}

function anchorTargets(html: string): string[] {
  // Group 1 is not optional, so every match has it.
  return [...html.matchAll(/<a\b[^>]*?\shref="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
}

const htmlFiles = readdirSync(distDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.html') && f !== '404.html')
  .map((f) => join(distDir, f));

describe('internal links', () => {
  it('the built site has pages to check', () => {
    expect(htmlFiles.length).toBeGreaterThan(20);
  });

  it('every internal link on every page resolves, and every #anchor exists on its target page', async () => {
    /** Target URL (without hash) → the pages linking to it and the anchors they expect. */
    const targets = new Map<string, { from: Set<string>; anchors: Set<string> }>();
    for (const file of htmlFiles) {
      const from = pagePath(file);
      for (const href of anchorTargets(readFileSync(file, 'utf8'))) {
        const url = new URL(href, `${siteUrl}${from}`);
        if (url.origin !== siteUrl) continue;
        const key = url.pathname;
        const entry = targets.get(key) ?? { from: new Set<string>(), anchors: new Set<string>() };
        entry.from.add(from);
        if (url.hash.length > 1) entry.anchors.add(decodeURIComponent(url.hash.slice(1)));
        targets.set(key, entry);
      }
    }
    expect(targets.size).toBeGreaterThan(20);
    const broken: string[] = [];
    for (const [path, { from, anchors }] of targets) {
      const response = await fetch(`${siteUrl}${path}`);
      const body = await response.text();
      const linkedFrom = [...from].slice(0, 3).join(', ');
      if (response.status !== 200) {
        broken.push(`${path} → HTTP ${response.status} (linked from ${linkedFrom})`);
        continue;
      }
      for (const anchor of anchors) {
        if (!body.includes(`id="${anchor}"`)) broken.push(`${path}#${anchor} → no such anchor (linked from ${linkedFrom})`);
      }
    }
    expect(broken).toEqual([]);
  });
});
