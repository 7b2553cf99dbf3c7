/**
 * Checks the commands of a documented shell block without running the heavy ones: a pnpm
 * script must exist in the package it is run in, a turbo task in turbo.json, a file given to
 * `bash` on disk, a package given to `npm install` must be published from this workspace (or
 * be a dependency of it). `sepconv-cost` commands are cheap, so they are returned to be run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

interface Manifest {
  readonly name: string;
  readonly private?: boolean;
  readonly scripts?: Record<string, string>;
  readonly bin?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

/** What a shell block's commands are checked against. */
export interface Workspace {
  readonly root: string;
  /** Every workspace package by name, with its folder. */
  readonly packages: ReadonlyMap<string, { readonly dir: string; readonly manifest: Manifest }>;
  readonly turboTasks: ReadonlySet<string>;
  /** Every package any workspace package depends on. */
  readonly dependencies: ReadonlySet<string>;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Reads the workspace's manifests and turbo.json. */
export function readWorkspace(root: string): Workspace {
  const packages = new Map<string, { dir: string; manifest: Manifest }>();
  const dependencies = new Set<string>();
  const dirs = [root, ...['packages', 'apps'].flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)))];
  for (const dir of dirs.filter((d) => existsSync(join(d, 'package.json')))) {
    const manifest = readManifest(dir);
    packages.set(manifest.name, { dir, manifest });
    for (const group of [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies]) {
      for (const name of Object.keys(group ?? {})) dependencies.add(name);
    }
  }
  const turbo = JSON.parse(readFileSync(join(root, 'turbo.json'), 'utf8')) as { tasks: Record<string, unknown> };
  const turboTasks = new Set(Object.keys(turbo.tasks).filter((task) => !task.includes('#')));
  return { root, packages, turboTasks, dependencies };
}

/** pnpm's own commands that a block may use as they are. */
const PNPM_BUILTINS = new Set(['install', 'add', 'exec', 'dlx', 'ls', 'pack']);

/** The outcome of checking one block: what is wrong, and the `sepconv-cost` arguments to run. */
export interface ShellCheck {
  readonly problems: string[];
  readonly cliRuns: string[][];
}

function packageAt(workspace: Workspace, dir: string): Manifest | undefined {
  for (const entry of workspace.packages.values()) if (resolve(entry.dir) === resolve(dir)) return entry.manifest;
  return undefined;
}

function checkPnpm(workspace: Workspace, dir: string, words: string[], problems: string[], command: string): void {
  let manifest = packageAt(workspace, dir);
  let rest = words.slice(1);
  const filter = rest[0] === '--filter' ? rest[1] : undefined;
  if (filter !== undefined) {
    manifest = workspace.packages.get(filter)?.manifest;
    if (!manifest) return void problems.push(`\`${command}\`: no workspace package is named ${filter}`);
    rest = rest.slice(2);
  }
  if (rest[0] === 'run') rest = rest.slice(1);
  const script = rest[0];
  if (script === undefined) return void problems.push(`\`${command}\`: no script named`);
  if (script === 'turbo') {
    const task = rest[1] === 'run' ? rest[2] : rest[1];
    if (task === undefined || !workspace.turboTasks.has(task)) problems.push(`\`${command}\`: turbo.json has no task ${task ?? '(none)'}`);
    return;
  }
  if (PNPM_BUILTINS.has(script)) return;
  if (!manifest) return void problems.push(`\`${command}\`: ${dir} is not a workspace package`);
  if (manifest.scripts?.[script] === undefined) problems.push(`\`${command}\`: ${manifest.name} has no script \`${script}\``);
}

function checkNpmInstall(workspace: Workspace, words: string[], problems: string[], command: string): void {
  for (const word of words.slice(2).filter((w) => !w.startsWith('-'))) {
    const name = word.replace(/(.)@[^/]*$/, '$1');
    const local = workspace.packages.get(name);
    if (local) {
      if (local.manifest.private) problems.push(`\`${command}\`: ${name} is private, never published`);
    } else if (name.startsWith('@sepconv/')) problems.push(`\`${command}\`: no workspace package is named ${name}`);
    else if (!workspace.dependencies.has(name)) problems.push(`\`${command}\`: ${name} is not a dependency of any workspace package`);
  }
}

/** Checks every command of a shell block (comments after ` #` ignored, `&&` chains split). */
export function checkShellBlock(workspace: Workspace, code: string): ShellCheck {
  const problems: string[] = [];
  const cliRuns: string[][] = [];
  const cliBin = Object.keys(workspace.packages.get('@sepconv/cli')?.manifest.bin ?? {})[0];
  for (const line of code.split('\n')) {
    let dir = workspace.root;
    for (const command of line
      .replace(/(^|\s)#.*$/, '')
      .split('&&')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const words = command.split(/\s+/);
      const [program, first] = words;
      if (program === 'cd' && first !== undefined) {
        dir = join(dir, first);
        if (!existsSync(dir)) problems.push(`\`${command}\`: no folder ${first}`);
      } else if (program === 'bash' && first !== undefined) {
        if (!existsSync(join(dir, first))) problems.push(`\`${command}\`: no file ${first}`);
      } else if (program === 'pnpm') checkPnpm(workspace, dir, words, problems, command);
      else if (program === 'npm' && first === 'install') checkNpmInstall(workspace, words, problems, command);
      else if (program === 'npx' && first === '@sepconv/cli') cliRuns.push(words.slice(2));
      else if (program !== undefined && program === cliBin) cliRuns.push(words.slice(1));
      else problems.push(`\`${command}\`: not a command this check knows; mark the block <!-- no-run: why --> or extend test/shell-commands.ts`);
    }
  }
  return { problems, cliRuns };
}
