import { predictLayer, separableReduction } from '@sepconv/cost';
import { caseCost, caseLayers } from './case-layers.js';
import { caseOutputShape, type LayerCase } from './cases/layer-case.js';
import type { Contender } from './contender.js';
import { profileFor } from './device/device-profile.js';
import type { TargetGoal } from './target-goals.js';
import type { CaseResult, ContenderResult, FusedVsUnfused, MeasuredDeviceProfile, SeparableVsStandard, TargetResult } from './results.js';

/**
 * Adds to one case's measurements what follows from them: GFLOP/s, the cost model's
 * roofline prediction on the profile of the contender's thread count, measured/predicted (CPU
 * contenders only: the profile is the CPU's), and the speed-up against every other contender
 * of the same kind (CPU against CPU, GPU against GPU).
 */
export function analyseCase(
  layerCase: LayerCase,
  measured: readonly ContenderResult[],
  contenders: readonly Contender[],
  profile: MeasuredDeviceProfile,
): CaseResult {
  const cost = caseCost(layerCase);
  const layers = caseLayers(layerCase);
  const timed = measured.filter((r) => r.bestMs !== undefined);
  const results = measured.map((result): ContenderResult => {
    if (result.bestMs === undefined) return result;
    const contender = contenders.find((c) => c.name === result.contender)!;
    const speedupVs: Record<string, number> = {};
    // Ratios only within a kind: a CPU time over a GPU time says nothing about either engine
    // (without a GPU, the WebGPU contenders run on SwiftShader, a CPU rasteriser).
    for (const other of timed) {
      const otherKind = contenders.find((c) => c.name === other.contender)?.kind;
      if (other.contender !== result.contender && otherKind === contender.kind) speedupVs[other.contender] = other.bestMs! / result.bestMs;
    }
    const gflops = cost.flops / (result.bestMs / 1000) / 1e9;
    // The measured profile is this CPU's; a GPU contender gets no roofline until a GPU profile exists.
    if (contender.kind === 'gpu') return { ...result, gflops, speedupVs };
    const entry = profileFor(profile, contender.threads);
    const deviceProfile = {
      name: `wasm-simd ×${entry.threads}`,
      peakFlops: entry.peakFlops,
      memoryBandwidth: entry.memoryBandwidth,
      peakInt8Ops: entry.peakInt8Ops,
    };
    const predictions = layers.map((layer) => predictLayer(layer, deviceProfile));
    const predictedSeconds = predictions.reduce((sum, p) => sum + p.seconds, 0);
    const computeSeconds = predictions.reduce((sum, p) => sum + p.computeSeconds, 0);
    const memorySeconds = predictions.reduce((sum, p) => sum + p.memorySeconds, 0);
    return {
      ...result,
      gflops,
      predictedMs: predictedSeconds * 1000,
      bound: computeSeconds >= memorySeconds ? 'compute' : 'memory',
      measuredOverPredicted: result.bestMs / (predictedSeconds * 1000),
      speedupVs,
    };
  });
  return {
    id: layerCase.id,
    title: layerCase.title,
    op: layerCase.op,
    ...(layerCase.group ? { group: layerCase.group } : {}),
    inputShape: [...layerCase.inputShape],
    outputShape: caseOutputShape(layerCase),
    kernelSize: layerCase.kernelSize,
    strides: layerCase.strides,
    padding: layerCase.padding,
    outChannels: layerCase.outChannels,
    multAdds: cost.multAdds,
    bytes: cost.bytes,
    arithmeticIntensity: cost.arithmeticIntensity,
    results,
  };
}

function bestOf(caseResult: CaseResult | undefined, contender: string): number | undefined {
  return caseResult?.results.find((r) => r.contender === contender)?.bestMs;
}

/**
 * Within each group of cases: the measured (depthwise + pointwise) / standard time against
 * `1/N + 1/D_K²` for every contender that ran all three, and fused separable against
 * depthwise-then-pointwise for every contender that ran both.
 */
export function compareGroups(
  layerCases: readonly LayerCase[],
  results: readonly CaseResult[],
): { separableVsStandard: SeparableVsStandard[]; fusedVsUnfused: FusedVsUnfused[] } {
  const separableVsStandard: SeparableVsStandard[] = [];
  const fusedVsUnfused: FusedVsUnfused[] = [];
  const groups = [...new Set(layerCases.map((c) => c.group).filter((g): g is string => g !== undefined))];
  for (const group of groups) {
    const inGroup = layerCases.filter((c) => c.group === group);
    const result = (op: LayerCase['op']) => {
      const layerCase = inGroup.find((c) => c.op === op);
      return { layerCase, result: results.find((r) => r.id === layerCase?.id) };
    };
    const depthwise = result('depthwiseConv2d');
    const pointwise = result('pointwiseConv2d');
    const standard = result('conv2d');
    const fused = result('separableConv2d');
    const unfused = result('depthwiseThenPointwise');
    const names = [...new Set(results.flatMap((r) => r.results.map((x) => x.contender)))];
    for (const contender of names) {
      const dw = bestOf(depthwise.result, contender);
      const pw = bestOf(pointwise.result, contender);
      const std = bestOf(standard.result, contender);
      if (dw !== undefined && pw !== undefined && std !== undefined && standard.layerCase) {
        separableVsStandard.push({
          group,
          contender,
          depthwiseMs: dw,
          pointwiseMs: pw,
          standardMs: std,
          measuredRatio: (dw + pw) / std,
          theoreticalRatio: separableReduction({ outChannels: standard.layerCase.outChannels, kernelSize: standard.layerCase.kernelSize }),
        });
      }
      const f = bestOf(fused.result, contender);
      const u = bestOf(unfused.result, contender);
      if (f !== undefined && u !== undefined) fusedVsUnfused.push({ group, contender, fusedMs: f, unfusedMs: u, speedup: u / f });
    }
  }
  return { separableVsStandard, fusedVsUnfused };
}

/** The sepconv CPU contenders the project's targets are about. */
const ONE_THREAD = 'sepconv-cpu';
const TWO_THREADS = 'sepconv-cpu-2t';

/**
 * The project's own speed targets (see {@link TARGET_GOALS} for where each comes from) on
 * this run's best times. A target whose contenders did not all run (a quick run, a
 * contender unavailable) is left out rather than counted as missed.
 */
export function evaluateTargets(
  results: readonly CaseResult[],
  separableVsStandard: readonly SeparableVsStandard[],
  fusedVsUnfused: readonly FusedVsUnfused[],
): TargetResult[] {
  const targets: TargetResult[] = [];
  const push = (goal: TargetGoal, description: string, value: number | undefined, threshold: number, atLeast: boolean) => {
    if (value === undefined || !Number.isFinite(value)) return;
    targets.push({ goal, description, value, threshold, atLeast, met: atLeast ? value >= threshold : value <= threshold });
  };
  const speedup = (r: CaseResult, contender: string, peer: string) => r.results.find((x) => x.contender === contender)?.speedupVs?.[peer];
  for (const r of results) {
    if (r.op === 'depthwiseConv2d') {
      push('depthwise-vs-tfjs-wasm', `${r.title}: ${ONE_THREAD} vs tfjs-wasm (speed-up)`, speedup(r, ONE_THREAD, 'tfjs-wasm'), 2, true);
      push('depthwise-vs-native', `${r.title}: ${ONE_THREAD} vs onnxruntime-node (speed-up)`, speedup(r, ONE_THREAD, 'onnxruntime-node'), 1, true);
      push('two-threads-depthwise', `${r.title}: ${TWO_THREADS} vs ${ONE_THREAD} (speed-up)`, speedup(r, TWO_THREADS, ONE_THREAD), 1, true);
    }
    if (r.op === 'pointwiseConv2d' || r.op === 'conv2d') {
      push('matmul-vs-tfjs-wasm', `${r.title}: ${ONE_THREAD} vs tfjs-wasm (speed-up)`, speedup(r, ONE_THREAD, 'tfjs-wasm'), 1, true);
    }
    if (r.op === 'pointwiseConv2d' || r.op === 'conv2d' || r.op === 'separableConv2d') {
      push('two-threads', `${r.title}: ${TWO_THREADS} vs ${ONE_THREAD} (speed-up)`, speedup(r, TWO_THREADS, ONE_THREAD), 1.7, true);
    }
    if (r.id === 'pw-56x56-128to128') {
      push('pointwise-gflops', `${r.title}: ${ONE_THREAD} GFLOP/s`, r.results.find((x) => x.contender === ONE_THREAD)?.gflops, 35, true);
    }
  }
  for (const f of fusedVsUnfused) {
    if (f.contender === ONE_THREAD) push('fusion', `${f.group}: fused vs depthwise then pointwise, ${ONE_THREAD} (speed-up)`, f.speedup, 1.2, true);
  }
  for (const s of separableVsStandard) {
    if (s.contender === ONE_THREAD && s.group === '56x56x128') {
      push(
        'separable-saving',
        `${s.group}: (depthwise + pointwise) / standard, ${ONE_THREAD} (theory ${s.theoreticalRatio.toFixed(3)})`,
        s.measuredRatio,
        0.17,
        false,
      );
    }
  }
  return targets;
}
