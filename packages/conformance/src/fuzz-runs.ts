/**
 * How many random examples a fuzz property tries: `defaultRuns` (the small CI budget) unless
 * the environment variable `SEPCONV_FUZZ_RUNS` asks for more (or fewer). A browser has no
 * `process`, so there the default always holds.
 * @throws Error when `SEPCONV_FUZZ_RUNS` is set to anything but a positive integer, so a typo cannot silently run the default.
 */
export function fuzzRuns(defaultRuns: number): number {
  const given = environment('SEPCONV_FUZZ_RUNS');
  if (given === undefined || given === '') return defaultRuns;
  const runs = Number(given);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`SEPCONV_FUZZ_RUNS must be a positive integer, got '${given}'`);
  return runs;
}

/**
 * fast-check's seed: `SEPCONV_FUZZ_SEED` to replay a failure (fast-check prints the seed and
 * path of every counterexample), otherwise fresh each run, so CI keeps exploring.
 * @throws Error when `SEPCONV_FUZZ_SEED` is set to anything but an integer.
 */
export function fuzzSeed(): number | undefined {
  const given = environment('SEPCONV_FUZZ_SEED');
  if (given === undefined || given === '') return undefined;
  const seed = Number(given);
  if (!Number.isSafeInteger(seed)) throw new Error(`SEPCONV_FUZZ_SEED must be an integer, got '${given}'`);
  return seed;
}

/** fast-check's parameters for one property: {@link fuzzRuns} examples, and {@link fuzzSeed} when set. */
export function fuzzParameters(defaultRuns: number): { numRuns: number; seed?: number } {
  const seed = fuzzSeed();
  return seed === undefined ? { numRuns: fuzzRuns(defaultRuns) } : { numRuns: fuzzRuns(defaultRuns), seed };
}

function environment(name: string): string | undefined {
  const processLike = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return processLike?.env?.[name];
}
