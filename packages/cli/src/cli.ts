#!/usr/bin/env node
// The `sepconv-cost` bin. Everything but process wiring lives in cli/run-cli.ts (tested in-process).
import { runCli } from './cli/run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
