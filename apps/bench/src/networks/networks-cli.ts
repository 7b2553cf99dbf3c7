#!/usr/bin/env node
/**
 * `pnpm bench:networks` in apps/bench: whole MobileNets (random weights, batch norm folded)
 * on sepconv's backends and the peers, interleaved, with the roofline prediction beside each
 * time, the project's targets, and the JSON in `results/local/` (git-ignored; `--save`: in
 * `results/`, committed). `--quick` runs tiny networks.
 */
import { relative } from 'node:path';
import { Command, Option } from 'commander';
import { withoutLeadingSeparator } from '../cli-arguments.js';
import { mobilenetNetworks, mobilenetScaling, quickNetworks } from './network-case.js';
import { networkContenders } from './network-contenders.js';
import { listLines } from '../report/list-line.js';
import { defaultResultsPath, resultsFileName, writeResultsFile } from '../report/results-file.js';
import { networkResultsWithoutSamples } from '../report/trim-results.js';
import { formatStepProfile } from './step-profile-report.js';
import { PROFILE_ROUNDS, profileNetworkSteps } from './step-profile.js';
import { formatNetworkResults } from './network-report.js';
import { FULL_NETWORK_SETTINGS, QUICK_NETWORK_SETTINGS, runNetworks } from './run-networks.js';

interface CliOptions {
  quick?: boolean;
  scaling?: boolean;
  cases?: string[];
  contenders?: string[];
  out?: string;
  save?: boolean;
  samples?: boolean;
  write: boolean;
  list?: boolean;
  profile?: boolean;
  threads: string[];
  rounds: string;
  pipeline: boolean;
}

const options = new Command()
  .name('sepconv-bench-networks')
  .description('Whole MobileNetV1/V2/V3 inference (and the same .onnx files) on sepconv backends and peer engines, interleaved, beside the roofline.')
  .option('--quick', 'tiny networks, a few runs (the smoke test)')
  .option('--scaling', 'also MobileNetV1 against batch (1–16) and resolution (128–448)')
  .option('--cases <ids...>', 'only cases whose id contains one of these')
  .option('--contenders <names...>', 'only these contenders (exact names)')
  .addOption(new Option('--save', 'write to results/ (committed, read by the docs site) instead of results/local/').conflicts(['out', 'quick']))
  .option('--samples', 'with --save, keep every timed run in the JSON (local runs always do)')
  .option('--out <file>', 'write the JSON here instead (default: results/local/networks-<date>-<time>-<host>.json)')
  .option('--no-write', 'do not write a JSON file')
  .option('--list', 'list cases and contenders and exit')
  .option(
    '--profile',
    "per-step profile of sepconv's CPU backend instead of the bench: each kernel job's time inside the network on --threads, interleaved",
  )
  .option('--threads <counts...>', 'with --profile: the thread counts to compare', ['1', '2'])
  .option('--rounds <n>', 'with --profile: rounds, each timing one predict per thread count', String(PROFILE_ROUNDS))
  .option('--no-pipeline', "with --profile: run each predict's jobs only at its flush, so no step waits for the host recording it")
  .parse(withoutLeadingSeparator(process.argv))
  .opts<CliOptions>();

const suite = options.quick ? quickNetworks : [...mobilenetNetworks, ...(options.scaling ? mobilenetScaling : [])];
const cases = options.cases ? suite.filter((c) => options.cases!.some((id) => c.id.includes(id))) : suite;
const contenders = options.contenders ? networkContenders.filter((c) => options.contenders!.includes(c.name)) : networkContenders;
if (options.list) {
  console.log(
    `cases (${options.quick ? 'quick' : options.scaling ? 'full and scaling' : 'full'}):\n${suite.map((c) => `  ${c.id.padEnd(36)} ${c.title}`).join('\n')}`,
  );
  console.log(`contenders:\n${listLines(networkContenders)}`);
  process.exit(0);
}
if (options.profile) {
  const threads = options.threads.map(Number);
  const rounds = Number(options.rounds);
  if (threads.some((t) => !Number.isInteger(t) || t < 1) || !Number.isInteger(rounds) || rounds < 1) {
    console.error(
      `--threads takes integers >= 1 and --rounds an integer >= 1, got --threads ${options.threads.join(' ')} --rounds ${options.rounds}`,
    );
    process.exit(2);
  }
  // A same-.onnx case profiles the plan sepconv compiles from the file (loadOnnxModel's spec and weights).
  for (const networkCase of cases) {
    process.stderr.write(`profiling ${networkCase.id}\n`);
    console.log(`${formatStepProfile(await profileNetworkSteps(networkCase, threads, rounds, { pipeline: options.pipeline }))}\n`);
  }
  process.exit(0);
}
const results = await runNetworks({
  cases,
  contenders,
  settings: options.quick ? QUICK_NETWORK_SETTINGS : FULL_NETWORK_SETTINGS,
  onProgress: (line) => process.stderr.write(`${line}\n`),
});
console.log(formatNetworkResults(results));
if (options.write) {
  const name = resultsFileName({ prefix: 'networks', startedAt: results.date, host: results.machine.host, quick: options.quick === true });
  const path = options.out ?? defaultResultsPath(name, options.save === true);
  const saved = options.save && !options.samples ? networkResultsWithoutSamples(results) : results;
  console.log(
    `\nresults: ${relative(process.cwd(), writeResultsFile(path, saved))}${options.save ? '' : ' (git-ignored; --save writes to results/)'}`,
  );
}
// Worker threads and GPU devices would otherwise keep the process alive.
process.exit(results.cases.some((c) => c.results.some((r) => r.check && !r.check.ok)) ? 1 : 0);
