import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Every TypeScript example on the guide and package pages is run here, in Node, against the
// workspace's packages: an example that no longer compiles against the API, throws, or prints
// something other than what its `// comment` promises fails the build of the docs.

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(appRoot, 'test-results', 'examples');

interface Example {
  readonly name: string;
  readonly code: string;
  /** What each `console.log` line's trailing comment says it prints, in order. */
  readonly promised: readonly string[];
}

function examples(): Example[] {
  const found: Example[] = [];
  for (const dir of ['guide', 'packages']) {
    for (const file of readdirSync(join(appRoot, dir)).filter((f) => f.endsWith('.md')).sort()) {
      const markdown = readFileSync(join(appRoot, dir, file), 'utf8');
      [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].forEach((match, i) => {
        const code = match[1];
        if (!/^import /m.test(code)) return;
        const promised = code
          .split('\n')
          .filter((line) => line.includes('console.log(') && line.includes('//'))
          .map((line) => line.slice(line.lastIndexOf('//') + 2).trim());
        found.push({ name: `${dir}-${file.replace(/\.md$/, '')}-${i + 1}`, code, promised });
      });
    }
  }
  return found;
}

/** How a logged value reads in the pages' comments: arrays as `[1, 4, 4, 2]`, numbers as is. */
function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return String(value);
}

/** The part of a comment that states the printed value: before ` = `, ` — `, ` (` or `…`. */
function promisedValue(comment: string): string {
  return comment.split(/ = | — | \(|…/)[0].trim();
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the examples on the guide and package pages', () => {
  const all = examples();

  it('are found (one per package page at least)', () => {
    expect(all.length).toBeGreaterThanOrEqual(6);
  });

  for (const example of all) {
    it(`${example.name} runs and prints what its comments say`, async () => {
      mkdirSync(outDir, { recursive: true });
      const file = join(outDir, `${example.name}.ts`);
      writeFileSync(file, `${example.code}\nexport {};\n`);
      const lines: string[] = [];
      vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        lines.push(args.map(show).join(' '));
      });
      await import(/* @vite-ignore */ file);
      expect(lines.length).toBeGreaterThanOrEqual(example.promised.length);
      example.promised.forEach((comment, i) => expect(lines[i], `console.log #${i + 1} of ${example.name}`).toMatch(new RegExp(`^${escape(promisedValue(comment))}`)));
    });
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
