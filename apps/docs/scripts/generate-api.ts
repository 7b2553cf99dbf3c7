/**
 * Generates the API reference (`api/`, git-ignored) from each package's source with TypeDoc
 * and typedoc-plugin-markdown, so the reference is rebuilt with the site and can never drift
 * from the code. One TypeDoc run per package: each uses the package's own tsconfig and the
 * entry points its package.json `exports` publish, so the reference shows exactly what a user
 * can import; each package's front page is a table of its exports with the first sentence of
 * each one's documentation. A package that publishes a command instead (`bin`, no entry
 * points: `@sepconv/cli`) gets one page of its commands, written from their `--help`. A
 * package whose entry exports nothing yet gets no reference pages (and the index says so)
 * rather than an empty page.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, ReflectionKind, type ProjectReflection } from 'typedoc';
import { apiOrder, type ApiPackage } from '../.vitepress/api-packages.js';

const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packagesRoot = resolve(appRoot, '../../packages');
const outRoot = join(appRoot, 'api');

interface PackageJson {
  name: string;
  description?: string;
  private?: boolean;
  bin?: Record<string, string>;
  exports?: Record<string, string | Record<string, string>>;
}

/** The source files a package publishes, keyed by export subpath (`.` → `src/index.ts`). */
function sourceEntries(pkg: PackageJson, dir: string): { subpath: string; file: string }[] {
  return (
    Object.entries(pkg.exports ?? {})
      .filter(([subpath, target]) => subpath !== './package.json' && typeof target === 'string' && target.endsWith('.ts'))
      .map(([subpath, target]) => ({ subpath, file: join(dir, target as string) }))
      // A package being written may list an export before its file exists.
      .filter((entry) => existsSync(entry.file))
  );
}

function exportCount(project: ProjectReflection): number {
  const modules = project.getChildrenByKind(ReflectionKind.Module);
  // One entry point puts its exports on the project itself; several give one module each.
  return modules.length === 0 ? (project.children?.length ?? 0) : modules.reduce((sum, m) => sum + (m.children?.length ?? 0), 0);
}

/**
 * With `entryModule`, the main entry's exports are the package's front page, but the plugin
 * does not link the other entry points from it; name and link them by their import path.
 */
async function linkSubpaths(name: string, out: string, subpaths: string[]): Promise<void> {
  const links: string[] = [];
  for (const subpath of subpaths.filter((s) => s !== '.')) {
    const page = join(out, subpath.replace(/^\.\//, ''), 'index.md');
    if (!existsSync(page)) continue;
    const importPath = `${name}/${subpath.replace(/^\.\//, '')}`;
    const text = await readFile(page, 'utf8');
    await writeFile(page, text.replace(/^# .*$/m, `# ${importPath}`));
    links.push(`- [\`${importPath}\`](./${relative(out, page)})`);
  }
  if (links.length === 0) return;
  const front = join(out, 'index.md');
  const text = await readFile(front, 'utf8');
  await writeFile(front, `${text.trimEnd()}\n\n## Other entry points\n\n${links.join('\n')}\n`);
}

/**
 * Runs a package's command with `args`: the built bin when there is one (turbo builds it
 * before `docs`), else its TypeScript source through tsx (`pnpm --filter docs api` alone).
 */
function runBin(dir: string, bin: string, args: string[]): string {
  const built = join(dir, bin);
  const source = join(dir, 'src', `${basename(bin, '.js')}.ts`);
  const command = existsSync(built) ? [built] : ['--import', 'tsx', source];
  return execFileSync(process.execPath, [...command, ...args], { cwd: appRoot, encoding: 'utf8', env: { ...process.env, COLUMNS: '100' } });
}

/** The commands and their one-line summaries from commander's `--help` (`Commands:` section). */
function commandsOf(help: string): { name: string; summary: string }[] {
  const section = help.split(/^Commands:$/m)[1] ?? '';
  const commands: { name: string; summary: string }[] = [];
  for (const line of section.split('\n')) {
    const start = /^ {2}(\S+)(?: \[options\])?(?: \[\w+\])?\s{2,}(.*)$/.exec(line);
    if (start) commands.push({ name: start[1] ?? '', summary: start[2] ?? '' });
    else if (/^\s{4,}\S/.test(line) && commands.length > 0) commands[commands.length - 1]!.summary += ` ${line.trim()}`;
  }
  return commands.filter((c) => c.name !== 'help');
}

/** One page for a package that publishes a command: every command's summary, then its `--help`. */
async function generateCommandPage(pkg: PackageJson, dir: string, out: string): Promise<number> {
  const [name, bin] = Object.entries(pkg.bin ?? {})[0] ?? [];
  if (name === undefined || bin === undefined) return 0;
  const help = runBin(dir, bin, ['--help']);
  const commands = commandsOf(help);
  const sections = commands.map((c) => [`## ${name} ${c.name}`, '', '```text', runBin(dir, bin, [c.name, '--help']).trimEnd(), '```', ''].join('\n'));
  await mkdir(out, { recursive: true });
  await writeFile(
    join(out, 'index.md'),
    [
      `# ${pkg.name}`,
      '',
      `${pkg.description ?? ''} It publishes no library entry point: its interface is the \`${name}\` command, whose help is below.`,
      '',
      '| command | what it prints |',
      '|---|---|',
      ...commands.map((c) => `| [\`${name} ${c.name}\`](#${name}-${c.name}) | ${c.summary} |`),
      '',
      '```text',
      help.trimEnd(),
      '```',
      '',
      ...sections,
    ].join('\n'),
  );
  return commands.length;
}

async function generate(entry: ApiPackage): Promise<ApiPackage & { exports: number; description: string }> {
  const dir = join(packagesRoot, entry.dir);
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackageJson;
  const entries = sourceEntries(pkg, dir);
  if (entries.length === 0 && pkg.bin !== undefined) {
    const count = await generateCommandPage(pkg, dir, join(outRoot, entry.dir));
    console.log(`generate-api: ${pkg.name}: ${count} commands → ${relative(appRoot, join(outRoot, entry.dir))}/`);
    return { ...entry, exports: count, description: pkg.description ?? '' };
  }
  const out = join(outRoot, entry.dir);
  const app = await Application.bootstrapWithPlugins({
    name: pkg.name,
    entryPoints: entries.map((e) => e.file),
    tsconfig: join(dir, 'tsconfig.json'),
    plugin: ['typedoc-plugin-markdown'],
    out,
    readme: 'none',
    excludePrivate: true,
    excludeInternal: true,
    // The site links sources to the repository itself, not to a hosted git URL TypeDoc would guess.
    disableSources: true,
    hidePageHeader: true,
    hideBreadcrumbs: true,
    entryFileName: 'index',
    // The package's main entry is its reference's front page; other subpaths (`./reference`) hang below it.
    entryModule: 'index',
    parametersFormat: 'table',
    interfacePropertiesFormat: 'table',
    classPropertiesFormat: 'table',
    typeDeclarationFormat: 'table',
    useCodeBlocks: true,
    // Each package's front page lists its exports with the summary sentence of their comments.
    indexFormat: 'table',
    sanitizeComments: true,
    logLevel: 'Warn',
    // Each package's own `typecheck` task is the gate for type errors; checking again here only costs time.
    skipErrorChecking: true,
    // A package under construction may not export everything its types mention yet.
    validation: { notExported: false, invalidLink: true, rewrittenLink: true },
  } as Parameters<typeof Application.bootstrapWithPlugins>[0]);
  const project = await app.convert();
  if (!project) throw new Error(`generate-api: TypeDoc could not convert ${pkg.name} (see the messages above)`);
  const count = exportCount(project);
  if (count > 0) {
    await app.generateOutputs(project);
    await linkSubpaths(
      pkg.name,
      out,
      entries.map((e) => e.subpath),
    );
  }
  console.log(`generate-api: ${pkg.name}: ${count} exports${count > 0 ? ` → ${relative(appRoot, out)}/` : ' (nothing published yet, no pages)'}`);
  return { ...entry, exports: count, description: pkg.description ?? '' };
}

await rm(outRoot, { recursive: true, force: true });
await mkdir(outRoot, { recursive: true });
const results = [];
for (const entry of apiOrder) results.push(await generate(entry));

const rows = results.map((r) =>
  r.exports > 0
    ? `| [\`@sepconv/${r.dir}\`](./${r.dir}/) | ${r.description} |`
    : `| \`@sepconv/${r.dir}\` | ${r.description} *(exports nothing yet: no reference pages)* |`,
);
await writeFile(
  join(outRoot, 'index.md'),
  [
    '# API reference',
    '',
    'Generated from the source of each package with TypeDoc when the site is built, so it',
    'matches the code this site was built from. Shapes, layouts and defaults are in each',
    "export's documentation; the [guide](/guide/) explains the ideas behind them.",
    '',
    '| package | what it is |',
    '|---|---|',
    ...rows,
    '',
  ].join('\n'),
);
// The sidebar lists only packages that got pages; config.ts reads this file.
await writeFile(join(outRoot, 'packages.json'), JSON.stringify(results.filter((r) => r.exports > 0).map((r) => r.dir)));
const pages = (await readdir(outRoot, { recursive: true })).filter((f) => f.endsWith('.md'));
console.log(`generate-api: ${pages.length} pages in ${relative(appRoot, outRoot)}/`);
