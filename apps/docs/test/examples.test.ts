import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { blockName, codeBlocks, documentedFiles, importedSepconvPackages, type CodeBlock } from './code-blocks.js';
import { checkShellBlock, readWorkspace } from './shell-commands.js';

// Every code block of every README and docs page either runs here or says why it cannot
// (CONTRIBUTING.md, "Code blocks in the docs"). TypeScript examples run in their own Node
// process (tsx), from a module written into this app so `@sepconv/*` imports resolve to the
// workspace, in a folder holding what a reader's project would (a TensorFlow.js model, a
// photo): an example that throws, hangs (a backend left undisposed keeps Node alive), fails
// to type-check, imports a package its page does not install, or prints something other than
// its `// comment` promises fails. Shell blocks have every command checked.

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(appRoot, '..', '..');
const outDir = join(appRoot, 'test-results', 'examples');
const require = createRequire(import.meta.url);

const blocks: CodeBlock[] = documentedFiles(repoRoot).flatMap((file) => codeBlocks(repoRoot, file));
const scripts = blocks.filter((block) => block.kind === 'script' && block.noRun === undefined);
const shells = blocks.filter((block) => block.kind === 'shell' && block.noRun === undefined);
const workspace = readWorkspace(repoRoot);

/** A module name for a block: `packages-cost-README-17.ts`. */
function moduleFile(block: CodeBlock): string {
  return join(outDir, `${block.file.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-')}-${block.line}.ts`);
}

/** What each `console.log` line's trailing comment says it prints, in order. */
function promised(code: string): string[] {
  return code
    .split('\n')
    .filter((line) => line.includes('console.log(') && line.includes('//'))
    .map((line) => line.slice(line.lastIndexOf('//') + 2).trim());
}

/** The part of a comment that states the printed value: before ` = `, ` — `, ` (` or `…`. */
function promisedValue(comment: string): string {
  return comment.split(/ = | — | \(|…/)[0]?.trim() ?? '';
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What a reader's project holds when an example reads files: `model/` — a Keras MobileNet
 * saved by TensorFlow.js (nsfwjs's MobileNetV2, shipped as JavaScript modules wrapping the
 * JSON and the base64 shard) as `model.json` and its shard, beside face-api's SSD face
 * detector as it ships it (`ssd_mobilenetv1_model-weights_manifest.json` and `.bin`) — and
 * `photo.jpg` (tfjs-models' coffee cup) and `faces.jpg` (face-api's demo photo sample5).
 */
function writeReaderProject(): void {
  const entry = require.resolve('nsfwjs');
  const nsfwjs = join(entry.slice(0, entry.lastIndexOf('/node_modules/nsfwjs/') + '/node_modules/nsfwjs'.length), 'dist', 'models', 'mobilenet_v2');
  const modelJson = require(join(nsfwjs, 'model.min.js')) as { weightsManifest: { paths: string[] }[] };
  const shard = require(join(nsfwjs, 'group1-shard1of1.min.js')) as string;
  mkdirSync(join(outDir, 'model'), { recursive: true });
  writeFileSync(join(outDir, 'model', 'model.json'), JSON.stringify(modelJson));
  const [path] = modelJson.weightsManifest.flatMap((group) => group.paths);
  writeFileSync(join(outDir, 'model', path ?? 'group1-shard1of1'), Buffer.from(shard, 'base64'));
  copyFileSync(join(dirname(require.resolve('tensorflow-models/package.json')), 'mobilenet', 'demo', 'coffee.jpg'), join(outDir, 'photo.jpg'));
  const faceApi = dirname(require.resolve('@vladmandic/face-api/package.json'));
  for (const file of ['ssd_mobilenetv1_model-weights_manifest.json', 'ssd_mobilenetv1_model.bin'])
    copyFileSync(join(faceApi, 'model', file), join(outDir, 'model', file));
  copyFileSync(join(faceApi, 'demo', 'sample5.jpg'), join(outDir, 'faces.jpg'));
}

/**
 * Loaded before an example: each `console.log` call becomes one marked line on stdout holding
 * what Node would print (util.format), so a multi-line table is still one call.
 */
const CONSOLE_CAPTURE = `
import { format } from 'node:util';
console.log = (...args) => process.stdout.write('\\u0001' + JSON.stringify(format(...args)) + '\\n');
`;

/**
 * Printed values as the comments may write them: Node's `[ 1, 4, 4, 2 ] [ 'block' ]` and the
 * pages' `[1, 4, 4, 2] [block]` read the same.
 */
function normalise(text: string): string {
  return text.replace(/'/g, '').replace(/\[\s+/g, '[').replace(/\s+\]/g, ']').replace(/\s+/g, ' ');
}

beforeAll(() => {
  // A fresh folder: a module left from an edited page would be type-checked with the others.
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'console-capture.mjs'), CONSOLE_CAPTURE);
  writeReaderProject();
  for (const block of scripts) writeFileSync(moduleFile(block), `${block.code}\nexport {};\n`);
  // The examples are checked against the packages' types as a reader's editor would.
  writeFileSync(
    join(outDir, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../../../tsconfig.base.json',
      compilerOptions: { types: ['node', '@webgpu/types'], noEmit: true },
      include: ['*.ts'],
    }),
  );
});

describe('every code block of the READMEs and docs pages', () => {
  it('are found (the package READMEs and pages have examples)', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(15);
    expect(shells.length).toBeGreaterThanOrEqual(15);
  });

  for (const block of blocks) {
    it(`${blockName(block)} has a language this convention knows, and a reason when it is marked no-run`, () => {
      expect(block.kind, `${blockName(block)}: fence language '${block.language}' (use ts, js, sh, bash, text or md)`).toBeDefined();
      if (block.noRun !== undefined) expect(block.noRun.length, `${blockName(block)}: no-run needs a reason`).toBeGreaterThan(10);
    });
  }
});

describe('the TypeScript examples', () => {
  for (const block of scripts) {
    const imported = importedSepconvPackages(block.code);
    if (imported.length > 0) {
      it(`${blockName(block)} imports only packages its install line lists`, () => {
        expect(block.installed, `${blockName(block)} imports ${imported.join(', ')} with no npm install line above it`).toBeDefined();
        expect(imported.filter((name) => !block.installed?.includes(name))).toEqual([]);
      });
    }

    it(`${blockName(block)} runs in Node and prints what its comments say`, () => {
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', './console-capture.mjs', moduleFile(block)], {
        cwd: outDir,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(run.error, `${blockName(block)} did not finish (a backend left undisposed keeps Node alive)`).toBeUndefined();
      expect(run.status, `${blockName(block)} exited with ${run.status}:\n${run.stderr}`).toBe(0);
      const lines = run.stdout
        .split('\n')
        .filter((line) => line.startsWith('\u0001'))
        .map((line) => JSON.parse(line.slice(1)) as string);
      // Each promise is met by a later line than the one before it; logs without a comment (progress) may come between.
      let next = 0;
      for (const comment of promised(block.code)) {
        const pattern = new RegExp(`^${escape(normalise(promisedValue(comment)))}`);
        const found = lines.findIndex((line, i) => i >= next && pattern.test(normalise(line)));
        expect(
          found,
          `${blockName(block)} printed ${JSON.stringify(lines.slice(next))}, none starting with '${promisedValue(comment)}'`,
        ).toBeGreaterThanOrEqual(0);
        next = found + 1;
      }
    }, 150_000);
  }

  it('type-check against the packages', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', join(outDir, 'tsconfig.json')], { cwd: outDir, encoding: 'utf8', timeout: 240_000 });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 300_000);
});

describe('the shell blocks', () => {
  for (const block of shells) {
    it(`${blockName(block)}: every command exists (scripts, tasks, files, packages), and sepconv-cost runs`, () => {
      const { problems, cliRuns } = checkShellBlock(workspace, block.code);
      expect(problems).toEqual([]);
      for (const args of cliRuns) {
        const run = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'packages', 'cli', 'src', 'cli.ts'), ...args], {
          cwd: appRoot,
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(run.status, `sepconv-cost ${args.join(' ')}: ${run.stderr}`).toBe(0);
        expect(run.stdout.length).toBeGreaterThan(0);
      }
    }, 120_000);
  }
});
