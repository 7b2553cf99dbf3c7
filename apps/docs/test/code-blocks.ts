/**
 * The code blocks of the repository's READMEs and the docs pages, read with markdown-it (the
 * parser VitePress renders them with), for `examples.test.ts`. CONTRIBUTING.md ("Code blocks in
 * the docs") states the convention this file reads:
 *
 * - `ts` / `js` blocks are run in Node; `sh` / `bash` blocks have every command checked;
 * - `text` / `md` blocks are not code (directory trees, messages, file contents), nor are
 *   `json` / `nginx` blocks (configuration files to copy);
 * - a block that cannot run as written carries `<!-- no-run: why -->` on the line before it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import MarkdownIt from 'markdown-it';

/** What the test does with a block, by its fence's language. */
export type BlockKind = 'script' | 'shell' | 'text';

const kindOfLanguage: Readonly<Record<string, BlockKind>> = {
  ts: 'script',
  typescript: 'script',
  js: 'script',
  javascript: 'script',
  sh: 'shell',
  bash: 'shell',
  shell: 'shell',
  text: 'text',
  md: 'text',
  // Configuration files shown for the reader to copy (a server's headers): content, not commands.
  json: 'text',
  nginx: 'text',
};

/** One fenced block of a Markdown file. */
export interface CodeBlock {
  /** The file, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The fence's language (first word of the info string), `''` when there is none. */
  readonly language: string;
  /** Undefined for a language this convention does not know (the test reports it). */
  readonly kind: BlockKind | undefined;
  readonly code: string;
  /** The reason of a `<!-- no-run: … -->` marker right before the block; undefined when unmarked. */
  readonly noRun: string | undefined;
  /** Package names on the `npm install` lines of the nearest shell block above this one in the file. */
  readonly installed: readonly string[] | undefined;
}

const NO_RUN = /^<!--\s*no-run:\s*([\s\S]*?)\s*-->\s*$/;

/** Every package named by the `npm install` commands of a shell block; undefined when it has none. */
export function installedPackages(code: string): string[] | undefined {
  const lines = code.split('\n').filter((line) => /^\s*npm install\b/.test(line));
  if (lines.length === 0) return undefined;
  return lines.flatMap((line) =>
    line
      .replace(/\s#.*$/, '')
      .split(/\s+/)
      .slice(2)
      .filter((word) => word !== '' && !word.startsWith('-'))
      .map((word) => word.replace(/(.)@[^/]*$/, '$1')),
  );
}

/** The code blocks of one Markdown file, in order. */
export function codeBlocks(repoRoot: string, path: string): CodeBlock[] {
  const tokens = new MarkdownIt({ html: true }).parse(readFileSync(path, 'utf8'), {});
  const blocks: CodeBlock[] = [];
  let installed: string[] | undefined;
  tokens.forEach((token, i) => {
    if (token.type !== 'fence' && token.type !== 'code_block') return;
    const language = token.info.trim().split(/\s+/)[0] ?? '';
    const kind = kindOfLanguage[language];
    const previous = tokens[i - 1];
    const marker = previous?.type === 'html_block' ? NO_RUN.exec(previous.content.trim()) : null;
    blocks.push({
      file: relative(repoRoot, path),
      line: (token.map?.[0] ?? 0) + 1,
      language,
      kind,
      code: token.content,
      noRun: marker?.[1],
      installed,
    });
    if (kind === 'shell') installed = installedPackages(token.content) ?? installed;
  });
  return blocks;
}

/** Folders of the docs app that hold no pages: generated reference, dependencies, build output. */
const NOT_PAGES = new Set(['api', 'node_modules', 'public', 'scripts', 'test', 'test-results']);

function pagesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      if (entry.isDirectory()) return entry.name.startsWith('.') || NOT_PAGES.has(entry.name) ? [] : pagesUnder(join(dir, entry.name));
      return entry.name.endsWith('.md') ? [join(dir, entry.name)] : [];
    })
    .sort();
}

/**
 * The Markdown files whose code blocks are checked: the root README, every package's and app's
 * README, and every page of the docs site except the generated API reference.
 */
export function documentedFiles(repoRoot: string): string[] {
  const readmes = ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(repoRoot, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(repoRoot, group, entry.name, 'README.md'))
      .filter((file) => existsSync(file))
      .sort(),
  );
  const docs = join(repoRoot, 'apps', 'docs');
  // The docs app's README is one of the READMEs above; the site does not publish it.
  const pages = pagesUnder(docs).filter((file) => file !== join(docs, 'README.md'));
  return [join(repoRoot, 'README.md'), ...readmes, ...pages];
}

/** The `@sepconv/*` packages a script imports (subpaths folded into their package). */
export function importedSepconvPackages(code: string): string[] {
  const names = [...code.matchAll(/(?:from\s+|import\s*\(?\s*)['"](@sepconv\/[^/'"]+)/g)].map((match) => match[1] ?? '');
  return [...new Set(names)].sort();
}

/** A readable name for a block: `packages/cost/README.md:17`. */
export function blockName(block: CodeBlock): string {
  return `${block.file}:${block.line}`;
}
