import { layerCost, predictLayer } from '@sepconv/cost';
import { describe, expect, it } from 'vitest';
import {
  analyseCase,
  caseLayers,
  compareGroups,
  evaluateTargets,
  mobilenetV1Layers,
  TARGET_GOALS,
  type Contender,
  type ContenderResult,
  type LayerCase,
  type MeasuredDeviceProfile,
} from '../src/index.js';

const profile: MeasuredDeviceProfile = {
  entries: [
    { threads: 1, peakFlops: 50e9, memoryBandwidth: 30e9 },
    { threads: 2, peakFlops: 100e9, memoryBandwidth: 50e9 },
  ],
  method: 'synthetic',
};

function contender(name: string, threads: number, role: Contender['role'] = 'peer'): Contender {
  return { name, kind: 'cpu', role, threads, packageName: name, setup: () => Promise.reject(new Error('not run in this test')) };
}

const contenders = [
  contender('sepconv-cpu', 1, 'sepconv'),
  contender('sepconv-cpu-2t', 2, 'sepconv'),
  contender('tfjs-wasm', 1),
  contender('onnxruntime-node', 1),
];

function timed(name: string, bestMs: number): ContenderResult {
  return { contender: name, samplesMs: [bestMs, bestMs * 1.5], bestMs, medianMs: bestMs * 1.25, meanMs: bestMs * 1.25 };
}

const byId = (id: string): LayerCase => mobilenetV1Layers.find((c) => c.id === id)!;

describe('analyseCase', () => {
  it("derives GFLOP/s, the roofline on the contender's thread count, and speed-ups from best times", () => {
    const layerCase = byId('pw-56x56-128to128');
    const result = analyseCase(
      layerCase,
      [timed('sepconv-cpu', 2), timed('sepconv-cpu-2t', 1), timed('tfjs-wasm', 3), { contender: 'onnxruntime-node', skipped: 'not here' }],
      contenders,
      profile,
    );
    const [layer] = caseLayers(layerCase);
    expect(result.multAdds).toBe(56 * 56 * 128 * 128);
    expect(result.multAdds).toBe(layerCost(layer!).multAdds);
    const one = result.results[0]!;
    expect(one.gflops).toBeCloseTo((2 * result.multAdds) / 2e-3 / 1e9, 6);
    expect(one.predictedMs).toBeCloseTo(predictLayer(layer!, { name: 'x', peakFlops: 50e9, memoryBandwidth: 30e9 }).seconds * 1000, 9);
    expect(result.results[1]!.predictedMs).toBeCloseTo(
      predictLayer(layer!, { name: 'x', peakFlops: 100e9, memoryBandwidth: 50e9 }).seconds * 1000,
      9,
    );
    expect(one.measuredOverPredicted).toBeCloseTo(2 / one.predictedMs!, 9);
    expect(one.bound).toBe('compute');
    expect(one.speedupVs).toEqual({ 'sepconv-cpu-2t': 0.5, 'tfjs-wasm': 1.5 });
    expect(result.results[3]).toEqual({ contender: 'onnxruntime-node', skipped: 'not here' });
  });

  it('counts the fused separable layer once and depthwise-then-pointwise as two layers', () => {
    const fused = analyseCase(byId('sep-112x112-32to64-fused'), [timed('sepconv-cpu', 1)], contenders, profile);
    const unfused = analyseCase(byId('sep-112x112-32to64-unfused'), [timed('sepconv-cpu', 1)], contenders, profile);
    expect(fused.multAdds).toBe(unfused.multAdds);
    // The unfused pair writes the 112×112×32 intermediate and reads it back.
    expect(unfused.bytes - fused.bytes).toBe(2 * 112 * 112 * 32 * 4);
  });
});

describe('compareGroups and evaluateTargets', () => {
  const cases = [
    'dw3x3s1-56x56x128',
    'dw3x3s1-7x7x1024',
    'pw-56x56-128to128',
    'conv3x3-56x56-128to128',
    'sep-112x112-32to64-fused',
    'sep-112x112-32to64-unfused',
  ].map(byId);
  const times: Record<string, [number, number, number, number]> = {
    // sepconv-cpu, sepconv-cpu-2t, tfjs-wasm, onnxruntime-node
    'dw3x3s1-56x56x128': [0.3, 0.2, 0.76, 0.32],
    'dw3x3s1-7x7x1024': [0.1, 0.12, 0.3, 0.1],
    'pw-56x56-128to128': [2.5, 1.4, 3.1, 1],
    'conv3x3-56x56-128to128': [20, 12, 26, 5],
    'sep-112x112-32to64-fused': [1, 0.6, 2.6, 1],
    'sep-112x112-32to64-unfused': [1.3, 0.8, 2.6, 1],
  };
  const results = cases.map((c) =>
    analyseCase(
      c,
      contenders.map((x, i) => timed(x.name, times[c.id]![i]!)),
      contenders,
      profile,
    ),
  );
  const { separableVsStandard, fusedVsUnfused } = compareGroups(cases, results);

  it('sets (depthwise + pointwise) / standard beside 1/N + 1/D_K²', () => {
    const sepconv = separableVsStandard.find((s) => s.contender === 'sepconv-cpu')!;
    expect(sepconv.measuredRatio).toBeCloseTo((0.3 + 2.5) / 20, 12);
    expect(sepconv.theoreticalRatio).toBeCloseTo(1 / 128 + 1 / 9, 12);
    expect(separableVsStandard).toHaveLength(contenders.length);
    expect(fusedVsUnfused.find((f) => f.contender === 'sepconv-cpu')!.speedup).toBeCloseTo(1.3, 12);
  });

  it("evaluates the project's targets on the sepconv-cpu rows, each naming its goal", () => {
    const targets = evaluateTargets(results, separableVsStandard, fusedVsUnfused);
    const find = (text: string) => targets.find((t) => t.description.includes(text))!;
    expect(find('depthwise 3×3 s1 56×56×128: sepconv-cpu vs tfjs-wasm')).toMatchObject({ value: 0.76 / 0.3, met: true });
    expect(find('depthwise 3×3 s1 56×56×128: sepconv-cpu vs onnxruntime-node')).toMatchObject({ met: true });
    expect(find('pointwise 56×56 128→128: sepconv-cpu GFLOP/s').met).toBe(true);
    // 2.5 / 1.4 = 1.79 ≥ 1.7, but 20 / 12 = 1.67 is not.
    expect(find('pointwise 56×56 128→128: sepconv-cpu-2t').met).toBe(true);
    expect(find('standard 3×3 56×56 128→128: sepconv-cpu-2t')).toMatchObject({ met: false, threshold: 1.7, atLeast: true });
    // Depthwise on two threads: never slower than one (0.3 / 0.2 = 1.5 is met, 0.1 / 0.12 is not).
    expect(find('depthwise 3×3 s1 56×56×128: sepconv-cpu-2t')).toMatchObject({ met: true, threshold: 1, goal: 'two-threads-depthwise' });
    expect(find('depthwise 3×3 s1 56×56×128: sepconv-cpu-2t').value).toBeCloseTo(1.5, 12);
    expect(find('depthwise 3×3 s1 7×7×1024: sepconv-cpu-2t')).toMatchObject({ met: false, threshold: 1 });
    expect(find('fused vs depthwise then pointwise')).toMatchObject({ value: 1.3, met: true });
    // The fused separable layer is held to the two-thread goal too: 1 / 0.6 = 1.67 < 1.7.
    expect(find('separable (fused) 3×3 112×112 32→64: sepconv-cpu-2t')).toMatchObject({ met: false, goal: 'two-threads' });
    expect(find('(depthwise + pointwise) / standard')).toMatchObject({ value: 2.8 / 20, met: true, atLeast: false });
    expect(find('fused vs depthwise then pointwise').goal).toBe('fusion');
    for (const t of targets) expect(TARGET_GOALS[t.goal], t.description).toEqual(expect.any(String));
  });
});

describe('analyseCase on a GPU contender', () => {
  it('gives GFLOP/s and speed-ups against GPU peers only, and no CPU roofline', () => {
    const gpu = (name: string, role: Contender['role']): Contender => ({
      name,
      kind: 'gpu',
      role,
      threads: 1,
      packageName: name,
      setup: () => Promise.reject(new Error('not run')),
    });
    const result = analyseCase(
      byId('pw-56x56-128to128'),
      [timed('sepconv-webgpu', 1), timed('tfjs-wasm', 3), timed('tfjs-webgpu', 2)],
      [gpu('sepconv-webgpu', 'sepconv'), contenders[2]!, gpu('tfjs-webgpu', 'peer')],
      profile,
    );
    // No CPU row against a (possibly software) GPU, nor the other way round.
    expect(result.results[0]).toMatchObject({ gflops: expect.any(Number), speedupVs: { 'tfjs-webgpu': 2 } });
    expect(result.results[1]!.speedupVs).toEqual({});
    expect(result.results[0]!.predictedMs).toBeUndefined();
    expect(result.results[1]!.predictedMs).toBeGreaterThan(0);
  });
});
