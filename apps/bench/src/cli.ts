#!/usr/bin/env node
/**
 * `pnpm bench` (the root script, or `pnpm bench` in apps/bench): the layer suite on every
 * contender, a table on stdout that fits 120 columns (`--wide` for every peer), the JSON in
 * `apps/bench/results/local/` (git-ignored), or with `--save` in `apps/bench/results/`
 * (committed, read by the docs site). `--quick` runs tiny shapes in seconds.
 */
import { relative } from 'node:path';
import cliProgress from 'cli-progress';
import { Command, Option } from 'commander';
import { mobilenetV1Layers, quickLayers } from './cases/index.js';
import { withoutLeadingSeparator } from './cli-arguments.js';
import { contenders as defaultContenders } from './contenders/index.js';
import { sepconvCpuVariantContenders } from './contenders/sepconv-cpu-variants.js';
import { formatResults } from './report/format-table.js';
import { listLines } from './report/list-line.js';
import { defaultResultsPath, resultsFileName, writeResultsFile } from './report/results-file.js';
import { withoutSamples } from './report/trim-results.js';
import { runBench, type BenchProgress } from './run-bench.js';

interface CliOptions {
  quick?: boolean;
  cases?: string[];
  contenders?: string[];
  peer?: string[];
  wide?: boolean;
  save?: boolean;
  samples?: boolean;
  out?: string;
  write: boolean;
  list?: boolean;
  variants?: boolean;
}

const program = new Command()
  .name('sepconv-bench')
  .description('Benchmarks MobileNetV1 layer shapes on sepconv backends and peer engines, interleaved, beside the roofline.')
  .option('--quick', 'tiny shapes and a few runs (seconds; the CI smoke test)')
  .option('--cases <ids...>', 'only cases whose id contains one of these')
  .option('--contenders <names...>', 'only these contenders (exact names)')
  .option('--peer <names...>', 'the peers the table compares with (default: same kind, same threads)')
  .option('--wide', 'every peer as a column, measured/predicted and runs (wider than 120 columns)')
  .addOption(new Option('--save', 'write to results/ (committed, read by the docs site) instead of results/local/').conflicts(['out', 'quick']))
  .option('--samples', 'with --save, keep every timed run in the JSON (local runs always do)')
  .option('--out <file>', 'write the JSON here instead (default: results/local/<date>-<time>-<host>.json)')
  .option('--no-write', 'do not write a JSON file')
  .option('--variants', 'also run every @sepconv/cpu kernel variant on its own (1 thread, cases it supports)')
  .option('--list', 'list cases and contenders and exit')
  .parse(withoutLeadingSeparator(process.argv));

const options = program.opts<CliOptions>();
const allContenders = options.variants ? [...defaultContenders, ...sepconvCpuVariantContenders()] : defaultContenders;
const suite = options.quick ? quickLayers : mobilenetV1Layers;
const cases = options.cases ? suite.filter((c) => options.cases!.some((id) => c.id.includes(id))) : suite;
const contenders = options.contenders ? allContenders.filter((c) => options.contenders!.includes(c.name)) : allContenders;

if (options.list) {
  console.log(`cases (${options.quick ? 'quick' : 'full'}):\n${suite.map((c) => `  ${c.id.padEnd(30)} ${c.title}`).join('\n')}`);
  console.log(`contenders:\n${listLines(allContenders)}`);
  process.exit(0);
}
if (cases.length === 0 || contenders.length === 0) {
  program.error(`nothing to run: ${cases.length} cases and ${contenders.length} contenders match (see --list)`);
}

// A live bar on a terminal; one line per step in CI logs, where redrawing would only add noise.
const bar = process.stderr.isTTY
  ? new cliProgress.SingleBar(
      { format: 'bench {bar} {value}/{total} cases | {detail}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    )
  : undefined;
let started = false;
const onProgress = (progress: BenchProgress) => {
  const detail = progress.phase === 'case' ? progress.detail : `${progress.phase}: ${progress.detail}`;
  if (!bar) {
    process.stderr.write(`[${progress.casesDone}/${progress.caseCount}] ${detail}\n`);
    return;
  }
  if (!started) {
    bar.start(progress.caseCount, progress.casesDone, { detail });
    started = true;
  } else {
    bar.update(progress.casesDone, { detail });
  }
};

try {
  const results = await runBench({ mode: options.quick ? 'quick' : 'full', cases, contenders, onProgress });
  bar?.stop();
  console.log(formatResults(results, { wide: options.wide, peers: options.peer }));
  if (options.write) {
    const path =
      options.out ??
      defaultResultsPath(
        resultsFileName({ startedAt: results.startedAt, host: results.machine.host, quick: results.mode === 'quick' }),
        options.save === true,
      );
    // The committed results keep what a reader needs, not every sample (see trim-results.ts).
    const saved = options.save && !options.samples ? withoutSamples(results) : results;
    console.log(
      `\nresults: ${relative(process.cwd(), writeResultsFile(path, saved))}${options.save ? '' : ' (git-ignored; --save writes to results/)'}`,
    );
  }
  const failedChecks = results.cases.flatMap((c) => c.results.filter((r) => r.check && !r.check.ok).map((r) => `${c.id}/${r.contender}`));
  if (failedChecks.length > 0) {
    console.error(`outputs differ from the reference: ${failedChecks.join(', ')}`);
    process.exitCode = 1;
  }
} catch (error) {
  bar?.stop();
  throw error;
}
