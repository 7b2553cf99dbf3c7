// The repository documents itself: no tracked file may send a reader to documents that live
// outside it (a design, conventions or toolchain note kept beside the checkout, a "shared"
// folder). What a contributor needs is in README.md, CONTRIBUTING.md and ARCHITECTURE.md.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const trackedFiles = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter((path) => path !== '' && existsSync(join(root, path)));
const trackedNames = new Set(trackedFiles.map((path) => basename(path)));

/** Notes that were never part of the repository; naming one is fine only once the repository has it. */
const outsideDocuments = ['DESIGN', 'CONVENTIONS', 'TOOLCHAIN'].map((name) => `${name}.md`);
// Written so that this file's own source matches none of them.
const outsidePlaces = [/shared\s+folder/i, /\.\.\/shared\//];

/** `path:line: text` for every line of a tracked file that points outside the repository. */
function outsideReferences(): string[] {
  const missing = outsideDocuments.filter((name) => !trackedNames.has(name));
  const patterns = [...missing.map((name) => new RegExp(`\\b${name.replace('.', '\\.')}\\b`)), ...outsidePlaces];
  const found: string[] = [];
  for (const path of trackedFiles) {
    const text = readFileSync(join(root, path), 'utf8');
    if (!patterns.some((pattern) => pattern.test(text))) continue;
    text.split('\n').forEach((line, index) => {
      if (patterns.some((pattern) => pattern.test(line))) found.push(`${path}:${index + 1}: ${line.trim()}`);
    });
  }
  return found;
}

describe('the repository is self-contained', () => {
  it('lists its tracked files', () => {
    expect(trackedFiles).toContain('package.json');
    expect(trackedFiles).toContain('test/self-contained.test.ts');
  });

  it('no tracked file points at documents or folders outside the repository', () => {
    expect(outsideReferences()).toEqual([]);
  });
});
