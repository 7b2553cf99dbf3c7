import { createCpuBackend, type CpuBackend, type JobTiming } from '@sepconv/cpu';
import { instantiate, onlyOutput, type Model } from '@sepconv/mobilenet';
import { randomUniform } from '@sepconv/tensor';
import { best, median } from '../statistics.js';
import { buildNetwork, type NetworkCase } from './network-case.js';

/** One kernel job of a network's run, timed on each thread count (ms: best and median over the rounds). */
export interface ProfiledStep {
  readonly op: string;
  readonly units: number;
  readonly granule: number;
  /** What the pool's parallel threshold weighs: multiply-adds at a convolution's rate (see `JobTiming.work`). */
  readonly work: number;
  /** By thread count: chunks it ran in (1: one thread ran it whole) and its time inside the run. */
  readonly runs: readonly { readonly threads: number; readonly chunks: number; readonly best: number; readonly median: number }[];
}

/** A network's per-step profile on several thread counts, with the whole predict's best and median beside the steps' sum. */
export interface StepProfile {
  readonly caseId: string;
  readonly threads: readonly number[];
  /** Whether the pool was pipelined (`CpuBackendOptions.pipeline`). */
  readonly pipeline: boolean;
  readonly steps: readonly ProfiledStep[];
  readonly predict: readonly { readonly threads: number; readonly best: number; readonly median: number }[];
  /**
   * By thread count: the predict's time outside the jobs (whole predict − Σ job times, each
   * round): recording the kernel calls on the host, copying the input in and the result out,
   * host ops between runs. One thread does it however many the jobs use.
   */
  readonly host: readonly { readonly threads: number; readonly best: number; readonly median: number }[];
}

/** Rounds a profile takes by default: each times one predict per thread count, interleaved. */
export const PROFILE_ROUNDS = 40;

/**
 * The job sequence's identity: two runs of one plan record the same ops in the same order,
 * whatever the threads (a kernel may cut its units differently for more threads: the fused
 * separable kernel's row bands).
 */
function sameJobs(a: readonly JobTiming[], b: readonly JobTiming[]): boolean {
  return a.length === b.length && a.every((job, index) => job.op === b[index]!.op);
}

/**
 * Profiles `networkCase` on the CPU backend at each of `threads`: after two warm-up predicts,
 * `rounds` rounds each time one predict per thread count (interleaved, so a busy moment of the
 * shared machine falls on all alike) with `profileJobs()` on, and keep every job's time. The
 * plan and weights are the bench's (random, batch norm folded, fused separable as instantiate's
 * default), so the steps are those `bench:networks` times. `pipeline: false` runs each predict's
 * jobs only at its flush, so no step's time includes waiting for the host to record it (the
 * clean per-step view; the host's time is then all outside the jobs).
 */
export async function profileNetworkSteps(
  networkCase: NetworkCase,
  threads: readonly number[],
  rounds = PROFILE_ROUNDS,
  { seed = 1, pipeline = true }: { seed?: number; pipeline?: boolean } = {},
): Promise<StepProfile> {
  const network = buildNetwork(networkCase, seed);
  const input = randomUniform([networkCase.batch, networkCase.resolution, networkCase.resolution, 3], seed + 1, -1, 1);
  const backends: CpuBackend[] = [];
  const models: Model[] = [];
  try {
    for (const count of threads) {
      const backend = await createCpuBackend({ threads: count, pipeline });
      backends.push(backend);
      models.push(await instantiate(network.spec, backend, { weights: network.weights }));
    }
    const predict = async (index: number): Promise<{ jobs: readonly JobTiming[]; ms: number }> => {
      const profile = backends[index]!.profileJobs();
      const started = performance.now();
      // Reading `data` makes the output's host copy, as a user's read would.
      void onlyOutput(await models[index]!.predictAsync(input)).data;
      const ms = performance.now() - started;
      return { jobs: profile.stop(), ms };
    };
    for (let warm = 0; warm < 2; warm++) for (let index = 0; index < threads.length; index++) await predict(index);
    const samples = threads.map(() => ({ jobs: [] as (readonly JobTiming[])[], ms: [] as number[], host: [] as number[] }));
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < threads.length; k++) {
        // Rotate the order between rounds, as the network bench does.
        const index = (k + round) % threads.length;
        const { jobs, ms } = await predict(index);
        samples[index]!.jobs.push(jobs);
        samples[index]!.ms.push(ms);
        samples[index]!.host.push(ms - jobs.reduce((sum, job) => sum + job.ms, 0));
      }
    }
    const reference = samples[0]!.jobs[0]!;
    for (const [index, sample] of samples.entries()) {
      if (!sample.jobs.every((jobs) => sameJobs(jobs, reference))) {
        throw new Error(`${networkCase.id}: the run on ${threads[index]} thread(s) recorded other jobs than the first run on ${threads[0]}`);
      }
    }
    const steps = reference.map((job, step) => ({
      op: job.op,
      units: job.units,
      granule: job.granule,
      work: job.work,
      runs: threads.map((count, index) => {
        const times = samples[index]!.jobs.map((jobs) => jobs[step]!.ms);
        return { threads: count, chunks: samples[index]!.jobs[0]![step]!.chunks, best: best(times), median: median(times) };
      }),
    }));
    return {
      caseId: networkCase.id,
      threads,
      pipeline,
      steps,
      predict: threads.map((count, index) => ({ threads: count, best: best(samples[index]!.ms), median: median(samples[index]!.ms) })),
      host: threads.map((count, index) => ({ threads: count, best: best(samples[index]!.host), median: median(samples[index]!.host) })),
    };
  } finally {
    for (const model of models) model.dispose();
    for (const backend of backends) backend.dispose();
  }
}
