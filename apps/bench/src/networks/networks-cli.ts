#!/usr/bin/env node
/**
 * `pnpm bench:networks` in apps/bench: whole MobileNets (random weights, batch norm folded)
 * on sepconv's backends and the peers, interleaved, with the roofline prediction beside each
 * time, the issue's targets, and the JSON under `results/`. `--quick` runs tiny networks.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { withoutLeadingSeparator } from '../cli-arguments.js';
import { mobilenetNetworks, mobilenetScaling, quickNetworks } from './network-case.js';
import { networkContenders } from './network-contenders.js';
import { listLine } from '../report/list-line.js';
import { formatNetworkResults } from './network-report.js';
import { FULL_NETWORK_SETTINGS, QUICK_NETWORK_SETTINGS, runNetworks } from './run-networks.js';

interface CliOptions {
  quick?: boolean;
  scaling?: boolean;
  cases?: string[];
  contenders?: string[];
  out?: string;
  write: boolean;
  list?: boolean;
}

const options = new Command()
  .name('sepconv-bench-networks')
  .description('Whole MobileNetV1/V2 inference on sepconv backends and peer engines, interleaved, beside the roofline.')
  .option('--quick', 'tiny networks, a few runs (the smoke test)')
  .option('--scaling', 'also MobileNetV1 against batch (1–16) and resolution (128–448)')
  .option('--cases <ids...>', 'only cases whose id contains one of these')
  .option('--contenders <names...>', 'only these contenders (exact names)')
  .option('--out <file>', 'where to write the JSON (default: results/networks-<date>.json)')
  .option('--no-write', 'do not write a JSON file')
  .option('--list', 'list cases and contenders and exit')
  .parse(withoutLeadingSeparator(process.argv))
  .opts<CliOptions>();

const suite = options.quick ? quickNetworks : [...mobilenetNetworks, ...(options.scaling ? mobilenetScaling : [])];
const cases = options.cases ? suite.filter((c) => options.cases!.some((id) => c.id.includes(id))) : suite;
const contenders = options.contenders ? networkContenders.filter((c) => options.contenders!.includes(c.name)) : networkContenders;
if (options.list) {
  console.log(`cases (${options.quick ? 'quick' : options.scaling ? 'full and scaling' : 'full'}):\n${suite.map((c) => `  ${c.id.padEnd(28)} ${c.title}`).join('\n')}`);
  console.log(`contenders:\n${networkContenders.map(listLine).join('\n')}`);
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
  const path = options.out ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'results', `networks-${options.quick ? 'quick.tmp' : results.date.slice(0, 10)}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 1)}\n`);
  console.log(`\nresults: ${path}`);
}
// Worker threads and GPU devices would otherwise keep the process alive.
process.exit(results.cases.some((c) => c.results.some((r) => r.check && !r.check.ok)) ? 1 : 0);
