import { hostname } from 'node:os';
import { modelCost, predictModel } from '@sepconv/cost';
import { randomUniform } from '@sepconv/tensor';
import { measureDeviceProfile, profileFor } from '../device/device-profile.js';
import { machineInfo } from '../machine-info.js';
import type { MachineInfo, MeasuredDeviceProfile } from '../results.js';
import { best, compareOutputs, median } from '../statistics.js';
import { buildNetwork, type NetworkCase } from './network-case.js';
import type { NetworkContender, NetworkRunner } from './network-contender.js';

/** How long and how often each contender runs a network. */
export interface NetworkSettings {
  readonly warmupRuns: number;
  readonly minRuns: number;
  readonly maxRuns: number;
  /** Seconds of timed runs each contender gets per case (at least `minRuns` runs). */
  readonly budgetSeconds: number;
  readonly profileSeconds: number;
  readonly seed: number;
}

export const QUICK_NETWORK_SETTINGS: NetworkSettings = { warmupRuns: 1, minRuns: 3, maxRuns: 3, budgetSeconds: 0, profileSeconds: 0.05, seed: 1 };
export const FULL_NETWORK_SETTINGS: NetworkSettings = { warmupRuns: 2, minRuns: 5, maxRuns: 60, budgetSeconds: 1.5, profileSeconds: 0.5, seed: 1 };

/** One contender on one network. */
export interface NetworkResult {
  readonly contender: string;
  readonly status: 'ok' | 'skipped' | 'failed';
  readonly reason?: string | undefined;
  /** Seconds per inference, every timed run: in local runs and `--samples` only. */
  readonly samples?: readonly number[] | undefined;
  /** How many timed runs the figures come from. */
  readonly runs?: number | undefined;
  readonly bestSeconds?: number | undefined;
  readonly medianSeconds?: number | undefined;
  /**
   * Time to first result: setting the network up (sepconv: `instantiate`, batch norm folded and
   * weights packed or uploaded; a same-.onnx case reads the file first, as the peers' session
   * creation does) plus the first inference; the engine itself (the backend, its threads) was
   * started before. Beside the steady state (`bestSeconds`) it shows what a page pays on its first predict.
   */
  readonly firstResultSeconds?: number | undefined;
  /** Of the time to first result, the seconds a tuned contender spent tuning (timing each layer's kernel variants). */
  readonly tuneSeconds?: number | undefined;
  /** An int8 contender's seconds quantizing the float network (calibration), done before and left out of the time to first result. */
  readonly quantizeSeconds?: number | undefined;
  /** The cost model's roofline time for this contender's thread count. */
  readonly predictedSeconds?: number | undefined;
  /** Against the first contender that ran the case (onnxruntime-node); an int8 contender against the first int8 one. */
  readonly check?: { readonly against: string; readonly maxAbsError: number; readonly tolerance: number; readonly ok: boolean } | undefined;
}

export interface NetworkCaseResult {
  readonly networkCase: NetworkCase;
  readonly multAdds: number;
  readonly results: readonly NetworkResult[];
}

export interface NetworkBenchResults {
  readonly date: string;
  /** Where the numbers came from: CPU, cores, Node and its flags, load at start. */
  readonly machine: MachineInfo;
  readonly settings: NetworkSettings;
  readonly profile: MeasuredDeviceProfile;
  readonly unavailable: readonly { readonly contender: string; readonly reason: string }[];
  readonly cases: readonly NetworkCaseResult[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs every network on every contender, interleaved: after untimed setup and warm-up, each
 * round times one inference per contender (the order rotating between rounds), so a busy
 * moment on the shared machine falls on all of them alike. Outputs are cross-checked.
 */
export async function runNetworks(options: {
  cases: readonly NetworkCase[];
  contenders: readonly NetworkContender[];
  settings: NetworkSettings;
  onProgress?: (line: string) => void;
}): Promise<NetworkBenchResults> {
  const { settings } = options;
  const machine = await machineInfo(hostname());
  const log = options.onProgress ?? (() => {});
  const unavailable: { contender: string; reason: string }[] = [];
  const ready: NetworkContender[] = [];
  for (const contender of options.contenders) {
    try {
      await contender.init?.();
      ready.push(contender);
    } catch (error) {
      unavailable.push({ contender: contender.name, reason: message(error) });
      log(`${contender.name}: unavailable (${message(error)})`);
    }
  }
  log('measuring the device profile');
  const profile = await measureDeviceProfile([...new Set(ready.map((c) => c.threads))], settings.profileSeconds);
  const cases: NetworkCaseResult[] = [];
  for (const networkCase of options.cases) {
    log(networkCase.title);
    const network = buildNetwork(networkCase, settings.seed);
    const input = randomUniform([networkCase.batch, networkCase.resolution, networkCase.resolution, 3], settings.seed + 1, -1, 1);
    const results = new Map<string, NetworkResult>();
    const runners = new Map<string, NetworkRunner>();
    const firstResults = new Map<string, number>();
    const tuneTimes = new Map<string, number>();
    const quantizeTimes = new Map<string, number>();
    for (const contender of ready) {
      const supported = contender.supports?.(networkCase) ?? true;
      if (supported !== true) {
        results.set(contender.name, { contender: contender.name, status: 'skipped', reason: supported });
        continue;
      }
      try {
        const started = performance.now();
        const runner = await contender.setup(networkCase, network, input);
        if (runner.tuneSeconds !== undefined) tuneTimes.set(contender.name, runner.tuneSeconds);
        if (runner.quantizeSeconds !== undefined) quantizeTimes.set(contender.name, runner.quantizeSeconds);
        // The first run is always made and timed with the setup (time to first result); the warm-up runs follow.
        for (let i = 0; i < Math.max(1, settings.warmupRuns); i++) {
          await runner.beforeRun?.();
          await runner.run();
          if (i === 0) firstResults.set(contender.name, (performance.now() - started) / 1000 - (runner.quantizeSeconds ?? 0));
        }
        runners.set(contender.name, runner);
      } catch (error) {
        results.set(contender.name, { contender: contender.name, status: 'failed', reason: message(error) });
      }
    }
    const samples = new Map<string, number[]>([...runners.keys()].map((name) => [name, []]));
    const done = (name: string): boolean => {
      const taken = samples.get(name)!;
      const spent = taken.reduce((a, b) => a + b, 0);
      return taken.length >= settings.maxRuns || (taken.length >= settings.minRuns && spent >= settings.budgetSeconds);
    };
    const names = [...runners.keys()];
    for (let round = 0; names.some((name) => !done(name)); round++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round) % names.length]!;
        if (done(name) || results.has(name)) continue;
        const runner = runners.get(name)!;
        try {
          await runner.beforeRun?.();
          const start = performance.now();
          await runner.run();
          samples.get(name)!.push((performance.now() - start) / 1000);
        } catch (error) {
          results.set(name, { contender: name, status: 'failed', reason: message(error) });
          samples.set(name, Array(settings.maxRuns).fill(0));
        }
      }
    }
    // Float contenders check against the first float one; int8 contenders against the first int8 one (quantized arithmetic differs from float).
    const references = new Map<string, { name: string; output: Float32Array }>();
    for (const contender of ready) {
      const runner = runners.get(contender.name);
      if (!runner || results.has(contender.name)) continue;
      const taken = samples.get(contender.name)!;
      const output = await runner.output();
      const dtype = contender.dtype ?? 'float32';
      if (!references.has(dtype)) references.set(dtype, { name: contender.name, output });
      const reference = references.get(dtype)!;
      const check =
        reference.name === contender.name
          ? undefined
          : { against: reference.name, ...compareOutputs(output, reference.output, contender.checkTolerance) };
      const entry = profileFor(profile, contender.threads);
      const predicted =
        contender.kind === 'cpu'
          ? predictModel(network.spec, { name: `${contender.threads} thread(s)`, ...entry }, contender.dtype ? { dtype: contender.dtype } : {})
              .seconds
          : undefined;
      results.set(contender.name, {
        contender: contender.name,
        status: 'ok',
        samples: taken,
        runs: taken.length,
        bestSeconds: best(taken),
        medianSeconds: median(taken),
        firstResultSeconds: firstResults.get(contender.name),
        tuneSeconds: tuneTimes.get(contender.name),
        quantizeSeconds: quantizeTimes.get(contender.name),
        predictedSeconds: predicted,
        check,
      });
    }
    for (const runner of runners.values()) await runner.dispose();
    cases.push({
      networkCase,
      multAdds: modelCost(network.spec).multAdds,
      results: ready
        .map((c) => results.get(c.name)!)
        .concat(unavailable.map((u) => ({ contender: u.contender, status: 'skipped' as const, reason: 'unavailable' }))),
    });
  }
  for (const contender of ready) await contender.close?.();
  return { date: new Date().toISOString(), machine, settings, profile, unavailable, cases };
}
