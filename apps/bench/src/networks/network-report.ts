import Table from 'cli-table3';
import { CALIBRATION_INPUTS } from './int8-calibration.js';
import type { NetworkBenchResults, NetworkCaseResult } from './run-networks.js';

const ms = (seconds: number | undefined): string => (seconds === undefined ? '' : (seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1));

function timeOf(result: NetworkCaseResult, contender: string): number | undefined {
  return result.results.find((r) => r.contender === contender && r.status === 'ok')?.bestSeconds;
}

/** One of the project's own whole-network targets, evaluated on the run's best times. */
export interface NetworkTarget {
  readonly title: string;
  readonly ok: boolean | undefined;
  readonly detail: string;
}

/**
 * The speed targets (MobileNetV1 1.0-224, batch 1), with relaxed SIMD: sepconv-cpu ≤ 13 ms on
 * 2 threads, ≥ 2.1× onnxruntime-web and ≥ 3× tfjs-wasm, ≤ 24 ms on 1 thread; without relaxed SIMD
 * (Safari, Node 20's default) ≤ 18 ms on 2 threads; MobileNetV2 ≤ 9 ms on 2 threads (relaxed);
 * WebGPU ≥ 3× tfjs-webgpu;
 * int8 on 2 threads ≥ 2× sepconv's float and ≥ 3× onnxruntime-web's float (WebGPU int8 against
 * float, and against onnxruntime-web's int8, reported without a goal);
 * from one `.onnx` file (torchvision V2 and V3-Large 1.0-224), sepconv-cpu-2t ≥ 2×
 * onnxruntime-web-2t; and for each scaling series, time per multiply-add within 15% of the
 * series' first case.
 */
export function networkTargets(results: NetworkBenchResults): NetworkTarget[] {
  const targets: NetworkTarget[] = [];
  const v1 = results.cases.find(
    (c) => c.networkCase.model === 'mobilenet-v1' && c.networkCase.resolution === 224 && c.networkCase.batch === 1 && c.networkCase.alpha === 1,
  );
  const ratio = (result: NetworkCaseResult, ours: string, peer: string, factor: number, title: string) => {
    const [a, b] = [timeOf(result, ours), timeOf(result, peer)];
    targets.push({
      title,
      ok: a === undefined || b === undefined ? undefined : b / a >= factor,
      detail: a && b ? `${(b / a).toFixed(2)}× (${ms(a)} vs ${ms(b)} ms)` : 'not measured',
    });
  };
  // A ratio shown without a goal (ok stays undefined, printed as '--').
  const reported = (result: NetworkCaseResult, ours: string, peer: string, title: string) => {
    const [a, b] = [timeOf(result, ours), timeOf(result, peer)];
    targets.push({ title, ok: undefined, detail: a && b ? `${(b / a).toFixed(2)}× (${ms(a)} vs ${ms(b)} ms)` : 'not measured' });
  };
  const absolute = (result: NetworkCaseResult, ours: string, limit: number, title: string) => {
    const a = timeOf(result, ours);
    targets.push({ title, ok: a === undefined ? undefined : a <= limit, detail: a ? `${ms(a)} ms` : 'not measured' });
  };
  if (v1) {
    // The CPU goals are set for relaxed SIMD (current browsers, Node ≥ 22); without it only the 2-thread time has one.
    if (results.machine.relaxedSimd) {
      absolute(v1, 'sepconv-cpu-2t', 0.013, 'V1 1.0-224: sepconv-cpu 2 threads ≤ 13 ms (relaxed SIMD)');
      absolute(v1, 'sepconv-cpu', 0.024, 'V1 1.0-224: sepconv-cpu 1 thread ≤ 24 ms (relaxed SIMD)');
      ratio(v1, 'sepconv-cpu-2t', 'onnxruntime-web-2t', 2.1, 'V1 1.0-224: sepconv-cpu-2t ≥ 2.1× onnxruntime-web');
      ratio(v1, 'sepconv-cpu-2t', 'tfjs-wasm', 3, 'V1 1.0-224: sepconv-cpu-2t ≥ 3× tfjs-wasm');
    } else {
      absolute(v1, 'sepconv-cpu-2t', 0.018, 'V1 1.0-224: sepconv-cpu 2 threads ≤ 18 ms (plain SIMD)');
    }
    ratio(v1, 'sepconv-webgpu', 'tfjs-webgpu', 3, 'V1 1.0-224: sepconv-webgpu ≥ 3× tfjs-webgpu (same adapter)');
    // Issue 15's targets: int8 against our own float (relaxed SIMD when the run has it) and onnxruntime-web's float.
    ratio(v1, 'sepconv-cpu-2t-int8', 'sepconv-cpu-2t', 2, 'V1 1.0-224: sepconv-cpu-2t-int8 ≥ 2× sepconv-cpu-2t (float)');
    ratio(v1, 'sepconv-cpu-2t-int8', 'onnxruntime-web-2t', 3, 'V1 1.0-224: sepconv-cpu-2t-int8 ≥ 3× onnxruntime-web-2t (float)');
    // Reported, no goal: int8 against float on one GPU adapter, and against onnxruntime-web's own int8.
    reported(v1, 'sepconv-webgpu-int8', 'sepconv-webgpu', 'V1 1.0-224: sepconv-webgpu-int8 against sepconv-webgpu (float, same adapter), reported');
    reported(
      v1,
      'sepconv-cpu-2t-int8',
      'onnxruntime-web-int8-2t',
      'V1 1.0-224: sepconv-cpu-2t-int8 against onnxruntime-web-int8-2t (same quantized network), reported',
    );
    // Thread scaling: the same engine on 1 thread is the "peer" here.
    ratio(v1, 'sepconv-cpu-2t', 'sepconv-cpu', 1.8, 'V1 1.0-224: sepconv-cpu 2 threads ≥ 1.8× its 1-thread speed');
    const cpu2 = v1.results.find((r) => r.contender === 'sepconv-cpu-2t' && r.status === 'ok');
    targets.push({
      title: 'V1 1.0-224: sepconv-cpu-2t time to first result (instantiate + first predict) ≤ 3× a steady-state run',
      ok: cpu2?.firstResultSeconds === undefined ? undefined : cpu2.firstResultSeconds <= 3 * cpu2.bestSeconds!,
      detail:
        cpu2?.firstResultSeconds === undefined
          ? 'not measured'
          : `${(cpu2.firstResultSeconds / cpu2.bestSeconds!).toFixed(2)}× (${ms(cpu2.firstResultSeconds)} vs ${ms(cpu2.bestSeconds)} ms)`,
    });
  }
  const v2 = results.cases.find(
    (c) =>
      c.networkCase.model === 'mobilenet-v2' &&
      c.networkCase.source !== 'onnx' &&
      c.networkCase.resolution === 224 &&
      c.networkCase.batch === 1 &&
      c.networkCase.alpha === 1,
  );
  if (v2 && results.machine.relaxedSimd) absolute(v2, 'sepconv-cpu-2t', 0.009, 'V2 1.0-224: sepconv-cpu 2 threads ≤ 9 ms (relaxed SIMD)');
  // Issue 13's target: the same .onnx file, sepconv on 2 threads at least twice onnxruntime-web's speed on 2.
  for (const model of ['mobilenet-v2', 'mobilenet-v3-large'] as const) {
    const fromOnnx = results.cases.find(
      (c) =>
        c.networkCase.source === 'onnx' &&
        c.networkCase.model === model &&
        c.networkCase.resolution === 224 &&
        c.networkCase.batch === 1 &&
        c.networkCase.alpha === 1,
    );
    const name = model === 'mobilenet-v2' ? 'V2' : 'V3-Large';
    if (fromOnnx)
      ratio(fromOnnx, 'sepconv-cpu-2t', 'onnxruntime-web-2t', 2, `${name} 1.0-224 from one .onnx file: sepconv-cpu-2t ≥ 2× onnxruntime-web-2t`);
  }
  for (const series of ['batch', 'resolution'] as const) {
    const members = results.cases.filter((c) => c.networkCase.series === series);
    if (members.length < 2) continue;
    for (const contender of ['sepconv-cpu', 'sepconv-cpu-2t', 'sepconv-webgpu']) {
      const base = members[0]!;
      const baseTime = timeOf(base, contender);
      if (baseTime === undefined) continue;
      const deviations = members.map((m) => {
        const t = timeOf(m, contender);
        return t === undefined ? undefined : t / m.multAdds / (baseTime / base.multAdds) - 1;
      });
      const worst = Math.max(...deviations.map((d) => Math.abs(d ?? 0)));
      targets.push({
        title: `${series} scaling of ${contender}: time ∝ multiply-adds within 15%`,
        ok: deviations.every((d) => d !== undefined) ? worst <= 0.15 : undefined,
        detail: deviations
          .map(
            (d, i) =>
              `${series === 'batch' ? members[i]!.networkCase.batch : members[i]!.networkCase.resolution}: ${d === undefined ? '—' : `${d >= 0 ? '+' : ''}${(d * 100).toFixed(0)}%`}`,
          )
          .join(', '),
      });
    }
  }
  return targets;
}

/**
 * The results as plain tables (best and median ms, roofline prediction, GFLOP/s from the
 * best time, the cross-check) and the project's own targets; no colour codes.
 */
export function formatNetworkResults(results: NetworkBenchResults): string {
  const lines: string[] = [];
  for (const result of results.cases) {
    // No colours (as the layer table): the output also goes to pipes, CI logs and files.
    const table = new Table({
      head: ['contender', 'best ms', 'median ms', 'roofline ms', 'GFLOP/s', 'first result ms', 'check'],
      style: { head: [], border: [], compact: true },
    });
    for (const r of result.results) {
      if (r.status !== 'ok') {
        table.push([r.contender, { colSpan: 6, content: `${r.status}: ${r.reason ?? ''}`.slice(0, 90) }]);
        continue;
      }
      table.push([
        r.contender,
        ms(r.bestSeconds),
        ms(r.medianSeconds),
        ms(r.predictedSeconds),
        // Two FLOPs per multiply-add, as the layer table counts them.
        ((2 * result.multAdds) / r.bestSeconds! / 1e9).toFixed(1),
        // Setup plus the first inference, and how many steady-state runs that is.
        r.firstResultSeconds === undefined ? '' : `${ms(r.firstResultSeconds)} (${(r.firstResultSeconds / r.bestSeconds!).toFixed(1)}×)`,
        r.check ? `${r.check.ok ? 'ok' : 'MISMATCH'} (${r.check.maxAbsError.toExponential(1)})` : 'reference',
      ]);
    }
    lines.push(`${result.networkCase.title} — ${(result.multAdds / 1e6).toFixed(0)}M multiply-adds`, table.toString());
    const quantizing = result.results.find((r) => r.status === 'ok' && r.quantizeSeconds !== undefined);
    if (quantizing) {
      // Says what the int8 rows run: random seeded weights, calibrated on seeded random inputs (not on the timed one).
      lines.push(
        `  int8 rows: this network (random seeded weights) quantized with quantizeModel (per-channel int8 weights, bias correction), calibrated on ${CALIBRATION_INPUTS} seeded random inputs, in ${ms(quantizing.quantizeSeconds)} ms (left out of the first result)`,
      );
    }
    // Tuned contenders: what tuning cost (inside their first result) and what it bought over the same engine untuned.
    for (const r of result.results) {
      if (r.status !== 'ok' || r.tuneSeconds === undefined) continue;
      const untuned = result.results.find((u) => u.contender === r.contender.replace(/-tuned$/, '') && u.status === 'ok');
      const versus = untuned ? `; ${(untuned.bestSeconds! / r.bestSeconds!).toFixed(2)}× ${untuned.contender}'s best` : '';
      lines.push(`  ${r.contender}: tuned in ${ms(r.tuneSeconds)} ms${versus}`);
    }
    // Unpipelined contenders (the queue run only at the flush): what the pipelined pool buys.
    for (const r of result.results) {
      if (r.status !== 'ok' || !r.contender.endsWith('-unpipelined')) continue;
      const pipelined = result.results.find((p) => p.contender === r.contender.replace(/-unpipelined$/, '') && p.status === 'ok');
      if (!pipelined) continue;
      lines.push(
        `  ${pipelined.contender} (pipelined) vs ${r.contender}: ${(r.bestSeconds! / pipelined.bestSeconds!).toFixed(2)}× best, ${(r.medianSeconds! / pipelined.medianSeconds!).toFixed(2)}× median`,
      );
    }
    lines.push('');
  }
  const targets = networkTargets(results);
  if (targets.length > 0) {
    lines.push("targets (sepconv's own goals for whole networks, set by this project; MISS means this run missed one):");
    for (const t of targets) lines.push(`  ${t.ok === undefined ? '  -- ' : t.ok ? '  ok ' : 'MISS '} ${t.title}: ${t.detail}`);
  }
  return lines.join('\n');
}
