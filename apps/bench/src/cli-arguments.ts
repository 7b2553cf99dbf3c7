/**
 * `process.argv` without the literal `--` that pnpm 12 passes through to a script
 * (`pnpm --filter bench bench -- --quick` runs `cli.ts -- --quick`): commander reads `--` as
 * the end of the options and would reject `--quick` as an unexpected argument. Only a
 * leading `--` is dropped; the bench CLIs take no positional arguments.
 */
export function withoutLeadingSeparator(argv: readonly string[]): string[] {
  return argv[2] === '--' ? [...argv.slice(0, 2), ...argv.slice(3)] : [...argv];
}
