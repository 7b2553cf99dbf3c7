// The whole-network suite's plumbing, quickly: the same folded MobileNets (V1, V2, V3-Large,
// V3-Small) written for ONNX Runtime and TensorFlow.js give what sepconv gives; the 'same .onnx
// file' cases give one torchvision-layout file to every ONNX engine and to sepconv's reader;
// the targets read the right numbers.
import { instantiate, onlyOutput } from '@sepconv/mobilenet';
import { randomUniform } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { buildNetwork, mobilenetNetworks, quickNetworks, type NetworkCase } from '../src/networks/network-case.js';
import { CALIBRATION_INPUTS, calibrationInputs } from '../src/networks/int8-calibration.js';
import { networkContenders, quantizedNetwork } from '../src/networks/network-contenders.js';
import { onnxruntimeWebInstance } from '../src/networks/onnxruntime-web-instance.js';
import { formatNetworkResults, networkTargets } from '../src/networks/network-report.js';
import { NETWORK_INPUT, NETWORK_OUTPUT, onnxNetworkModel } from '../src/networks/plan-to-onnx.js';
import { tfjsNetwork } from '../src/networks/plan-to-tfjs.js';
import { QUICK_NETWORK_SETTINGS, runNetworks, type NetworkBenchResults, type NetworkResult } from '../src/networks/run-networks.js';
import { onnxSchema } from '../src/onnx/onnx-conv-model.js';
import { nchw } from './support/nchw.js';

describe('the network suite writes the same network for every engine', () => {
  for (const networkCase of quickNetworks.filter((c) => c.source !== 'onnx')) {
    it(`${networkCase.title}: sepconv (reference), ONNX Runtime and tfjs-cpu agree`, async () => {
      const network = buildNetwork(networkCase);
      expect(network.onnx).toBeUndefined();
      const x = randomUniform([1, networkCase.resolution, networkCase.resolution, 3], 3);
      const ours = onlyOutput(await (await instantiate(network.spec, createReferenceBackend(), { weights: network.weights })).predictAsync(x));
      const ort = await import('onnxruntime-node');
      const session = await ort.InferenceSession.create(onnxNetworkModel(network.plan, 1, networkCase.id));
      const result = await session.run({
        [NETWORK_INPUT]: new ort.Tensor('float32', nchw(x), [1, 3, networkCase.resolution, networkCase.resolution]),
      });
      const onnx = result[NETWORK_OUTPUT]!.data as Float32Array;
      await session.release();
      await tf.setBackend('cpu');
      const net = tfjsNetwork(tf, network.plan, 1);
      const y = tf.tidy(() => net.predict(tf.tensor4d(x.data, [1, networkCase.resolution, networkCase.resolution, 3])));
      const tfjs = y.dataSync();
      y.dispose();
      net.dispose();
      expect(ours.data.length).toBe(1000);
      ours.data.forEach((v, i) => {
        expect(Math.abs(v - onnx[i]!)).toBeLessThan(1e-5);
        expect(Math.abs(v - tfjs[i]!)).toBeLessThan(1e-5);
      });
    });
  }
});

describe("'same .onnx file' cases: one file, every engine", () => {
  const onnxCases = quickNetworks.filter((c) => c.source === 'onnx');

  it('cover torchvision V2 and V3-Large in the quick and the full suite', () => {
    expect(onnxCases.map((c) => c.model)).toEqual(['mobilenet-v2', 'mobilenet-v3-large']);
    expect(mobilenetNetworks.filter((c) => c.source === 'onnx').map((c) => c.id)).toEqual([
      'onnx-mobilenet-v2-1.00-224-b1',
      'onnx-mobilenet-v3-large-1.00-224-b1',
    ]);
  });

  for (const networkCase of onnxCases) {
    it(`${networkCase.title}: the file is torchvision's export (batch norm unfolded), and onnxruntime-node, onnxruntime-web (1 and 2 threads) and sepconv agree on it`, async () => {
      const network = buildNetwork(networkCase);
      const bytes = network.onnx!;
      const model = onnxSchema().lookupType('onnx.ModelProto').decode(bytes) as unknown as { graph: { node: { opType: string }[] } };
      const ops = new Set(model.graph.node.map((n) => n.opType));
      for (const op of ['Conv', 'BatchNormalization', 'Add', 'GlobalAveragePool', 'Flatten', 'Gemm']) expect(ops, op).toContain(op);
      for (const op of networkCase.model === 'mobilenet-v2' ? ['Clip'] : ['HardSwish', 'HardSigmoid', 'Mul', 'Relu']) expect(ops, op).toContain(op);
      const x = randomUniform([1, networkCase.resolution, networkCase.resolution, 3], 3);
      const ours = onlyOutput(await (await instantiate(network.spec, createReferenceBackend(), { weights: network.weights })).predictAsync(x));
      expect(ours.shape).toEqual([1, 1000]);
      const scale = Math.max(...ours.data.map(Math.abs));
      for (const ort of [
        await import('onnxruntime-node'),
        onnxruntimeWebInstance(1),
        onnxruntimeWebInstance(2),
      ] as (typeof import('onnxruntime-node'))[]) {
        const session = await ort.InferenceSession.create(bytes);
        expect([session.inputNames, session.outputNames]).toEqual([['input'], ['logits']]);
        const result = await session.run({ input: new ort.Tensor('float32', nchw(x), [1, 3, networkCase.resolution, networkCase.resolution]) });
        const theirs = (await result.logits!.getData()) as Float32Array;
        await session.release();
        expect(theirs.length).toBe(1000);
        ours.data.forEach((v, i) => expect(Math.abs(v - theirs[i]!)).toBeLessThan(1e-4 * scale));
      }
    });
  }

  it('the ONNX peers load the file as it is; tfjs, which reads no ONNX, skips those cases', () => {
    const onnxCase = onnxCases[0]!;
    const skip = networkContenders.filter((c) => c.supports?.(onnxCase) !== undefined && c.supports(onnxCase) !== true).map((c) => c.name);
    expect(skip).toEqual(['tfjs-wasm', 'tfjs-cpu', 'tfjs-webgpu']);
    expect(networkContenders.filter((c) => c.packageName === 'onnxruntime-web').map((c) => [c.name, c.threads, c.dtype])).toEqual([
      ['onnxruntime-web', 1, undefined],
      ['onnxruntime-web-2t', 2, undefined],
      ['onnxruntime-web-int8', 1, 'int8'],
      ['onnxruntime-web-int8-2t', 2, 'int8'],
    ]);
  });

  it('each onnxruntime-web thread count is its own copy of the package', () => {
    const [one, two] = [onnxruntimeWebInstance(1), onnxruntimeWebInstance(2)];
    expect(one).not.toBe(two);
    expect([one.env.wasm.numThreads, two.env.wasm.numThreads]).toEqual([1, 2]);
    expect(onnxruntimeWebInstance(1)).toBe(one);
  });
});

describe('the quick network run (as `bench:networks --quick` runs it, two of its cases)', () => {
  it('V3-Small from the spec and V3-Large from one .onnx file: every contender runs or says why not, and agrees with onnxruntime-node', async () => {
    const cases = quickNetworks.filter((c) => c.id === 'mobilenet-v3-small-0.35-64-b1' || c.id === 'onnx-mobilenet-v3-large-0.35-64-b1');
    const names = ['onnxruntime-node', 'sepconv-cpu', 'onnxruntime-web', 'onnxruntime-web-2t', 'tfjs-wasm'];
    const results = await runNetworks({
      cases,
      contenders: networkContenders.filter((c) => names.includes(c.name)),
      settings: QUICK_NETWORK_SETTINGS,
    });
    expect(results.unavailable).toEqual([]);
    const [spec, onnx] = results.cases;
    for (const result of [...spec!.results, ...onnx!.results.filter((r) => r.contender !== 'tfjs-wasm')]) {
      expect(result.status, `${result.contender}: ${result.reason}`).toBe('ok');
      expect(result.runs).toBe(QUICK_NETWORK_SETTINGS.maxRuns);
      if (result.contender !== 'onnxruntime-node') expect(result.check, result.contender).toMatchObject({ against: 'onnxruntime-node', ok: true });
    }
    expect(onnx!.results.find((r) => r.contender === 'tfjs-wasm')).toMatchObject({ status: 'skipped', reason: 'reads no .onnx file' });
    expect(onnx!.multAdds).toBeGreaterThan(0);
    expect(formatNetworkResults(results)).toContain('same .onnx file (torchvision layout)');
  });
});

describe('tuned contenders', () => {
  it('sepconv-cpu-2t-tuned tunes in its setup, reports the time it took and agrees with onnxruntime-node', async () => {
    const cases = quickNetworks.filter((c) => c.id === 'mobilenet-v3-small-0.35-64-b1');
    const names = ['onnxruntime-node', 'sepconv-cpu-2t', 'sepconv-cpu-2t-tuned'];
    const results = await runNetworks({
      cases,
      contenders: networkContenders.filter((c) => names.includes(c.name)),
      settings: QUICK_NETWORK_SETTINGS,
    });
    const tuned = results.cases[0]!.results.find((r) => r.contender === 'sepconv-cpu-2t-tuned')!;
    expect(tuned.status, tuned.reason).toBe('ok');
    expect(tuned.check).toMatchObject({ against: 'onnxruntime-node', ok: true });
    expect(tuned.tuneSeconds).toBeGreaterThan(0);
    expect(tuned.firstResultSeconds).toBeGreaterThan(tuned.tuneSeconds!);
    expect(results.cases[0]!.results.find((r) => r.contender === 'sepconv-cpu-2t')!.tuneSeconds).toBeUndefined();
    expect(formatNetworkResults(results)).toMatch(/sepconv-cpu-2t-tuned: tuned in [\d.]+ ms; [\d.]+× sepconv-cpu-2t's best/);
    expect(networkContenders.map((c) => c.name).filter((name) => name.endsWith('-tuned'))).toEqual(['sepconv-cpu-2t-tuned', 'sepconv-webgpu-tuned']);
  });
});

describe('the unpipelined contender', () => {
  it('sepconv-cpu-2t-unpipelined (the queue run at the flush) agrees with onnxruntime-node, and the report says what pipelining buys', async () => {
    const cases = quickNetworks.filter((c) => c.id === 'mobilenet-v3-small-0.35-64-b1');
    const names = ['onnxruntime-node', 'sepconv-cpu-2t', 'sepconv-cpu-2t-unpipelined'];
    const results = await runNetworks({
      cases,
      contenders: networkContenders.filter((c) => names.includes(c.name)),
      settings: QUICK_NETWORK_SETTINGS,
    });
    const unpipelined = results.cases[0]!.results.find((r) => r.contender === 'sepconv-cpu-2t-unpipelined')!;
    expect(unpipelined.status, unpipelined.reason).toBe('ok');
    expect(unpipelined.check).toMatchObject({ against: 'onnxruntime-node', ok: true });
    expect(formatNetworkResults(results)).toMatch(/sepconv-cpu-2t \(pipelined\) vs sepconv-cpu-2t-unpipelined: [\d.]+× best, [\d.]+× median/);
  });
});

const cpu0 = (byName: Map<string, NetworkResult>) => byName.get('sepconv-cpu-int8')!;

describe('int8 contenders', () => {
  it('sepconv-cpu-int8 (1 and 2 threads) and sepconv-webgpu-int8 give one output, bit for bit, onnxruntime-web-int8 (1 and 2 threads) one close to it, beside the float rows; the quantization is left out of their first result and said under the table', async () => {
    const cases = quickNetworks.filter((c) => c.id === 'mobilenet-v1-0.25-64-b1' || c.id === 'mobilenet-v2-0.35-64-b1');
    const names = [
      'onnxruntime-node',
      'sepconv-webgpu',
      'sepconv-cpu-int8',
      'sepconv-cpu-2t-int8',
      'onnxruntime-web-int8',
      'onnxruntime-web-int8-2t',
      'sepconv-webgpu-int8',
    ];
    const results = await runNetworks({
      cases,
      contenders: networkContenders.filter((c) => names.includes(c.name)),
      settings: QUICK_NETWORK_SETTINGS,
    });
    expect(results.unavailable).toEqual([]);
    expect(results.cases).toHaveLength(2);
    for (const networkCase of results.cases) {
      const byName = new Map(networkCase.results.map((r) => [r.contender, r]));
      for (const name of names) expect(byName.get(name)!.status, `${name}: ${byName.get(name)!.reason}`).toBe('ok');
      expect(byName.get('sepconv-webgpu')!.check).toMatchObject({ against: 'onnxruntime-node', ok: true });
      // The int8 anchor is not compared with float; the other int8 outputs are the anchor's, bit for bit.
      expect(byName.get('sepconv-cpu-int8')!.check).toBeUndefined();
      for (const name of ['sepconv-cpu-2t-int8', 'sepconv-webgpu-int8'])
        expect(byName.get(name)!.check, name).toMatchObject({ against: 'sepconv-cpu-int8', maxAbsError: 0, ok: true });
      expect(byName.get('sepconv-cpu-2t-int8')!.predictedSeconds).toBeGreaterThan(0);
      // onnxruntime-web's int8 is checked against sepconv's with its own tolerance (a quarter of the largest probability).
      for (const name of ['onnxruntime-web-int8', 'onnxruntime-web-int8-2t']) {
        const check = byName.get(name)!.check!;
        expect(check.against, name).toBe('sepconv-cpu-int8');
        expect(check.tolerance).toBeLessThan(0.25);
        expect(check.tolerance).toBeGreaterThan(0);
        // V1 is within it; the tiny V2 (0.35-64, random weights) compounds 1-step rounding differences past it.
        if (networkCase.networkCase.model === 'mobilenet-v1') expect(check.ok, name).toBe(true);
        expect(byName.get(name)!.quantizeSeconds).toBeLessThan(cpu0(byName).quantizeSeconds!);
      }
      // Quantized once per case: the first int8 contender waits for it, the next reuse the model.
      const [cpu, gpu] = [byName.get('sepconv-cpu-int8')!, byName.get('sepconv-webgpu-int8')!];
      expect(cpu.quantizeSeconds).toBeGreaterThan(gpu.quantizeSeconds!);
      expect(cpu.firstResultSeconds).toBeGreaterThan(0);
      expect(gpu.firstResultSeconds).toBeGreaterThan(0);
    }
    const text = formatNetworkResults(results);
    expect(text).toContain(`calibrated on ${CALIBRATION_INPUTS} seeded random inputs`);
    expect(text.match(/int8 rows: this network/g)).toHaveLength(2);
  });

  it('quantizes deterministically, on seeded random inputs that are not the timed input', async () => {
    const networkCase = quickNetworks.find((c) => c.id === 'mobilenet-v1-0.25-64-b1')!;
    const input = randomUniform([1, networkCase.resolution, networkCase.resolution, 3], QUICK_NETWORK_SETTINGS.seed + 1, -1, 1);
    const calibration = calibrationInputs(input);
    expect(calibration).toHaveLength(CALIBRATION_INPUTS);
    for (const batch of calibration) {
      expect(batch.shape).toEqual(input.shape);
      expect(batch.data).not.toEqual(input.data);
    }
    // Two builds of the case quantize to the same integers.
    const [a, b] = await Promise.all([quantizedNetwork(buildNetwork(networkCase), input), quantizedNetwork(buildNetwork(networkCase), input)]);
    expect(a).not.toBe(b);
    expect(a.spec).toEqual(b.spec);
    expect([...a.weights.keys()]).toEqual([...b.weights.keys()]);
    for (const [key, weight] of a.weights) expect(b.weights.get(key), key).toEqual(weight);
  });
});

describe('networkTargets', () => {
  const v1 = (batch: number, resolution: number, series?: NetworkCase['series']): NetworkCase => ({
    id: `v1-${batch}-${resolution}`,
    title: '',
    model: 'mobilenet-v1',
    alpha: 1,
    resolution,
    batch,
    series,
  });
  const ok = (contender: string, seconds: number) => ({
    contender,
    status: 'ok' as const,
    bestSeconds: seconds,
    medianSeconds: seconds,
    samples: [seconds],
  });
  const results: NetworkBenchResults = {
    date: '',
    machine: {
      host: 'test',
      cpuModel: 'test CPU',
      logicalCores: 2,
      platform: 'linux',
      arch: 'x64',
      totalMemoryBytes: 0,
      node: '20.20.2',
      v8: '11',
      nodeFlags: [],
      loadAverage: [0, 0, 0],
      relaxedSimd: true,
    },
    settings: { warmupRuns: 0, minRuns: 1, maxRuns: 1, budgetSeconds: 0, profileSeconds: 0, seed: 1 },
    profile: { entries: [], method: '' },
    unavailable: [],
    cases: [
      {
        networkCase: v1(1, 224),
        multAdds: 569e6,
        results: [
          { ...ok('sepconv-cpu-2t', 0.012), firstResultSeconds: 0.04 },
          ok('sepconv-cpu', 0.03),
          ok('onnxruntime-web-2t', 0.033),
          ok('tfjs-wasm', 0.037),
          ok('sepconv-cpu-2t-int8', 0.008),
          ok('onnxruntime-web-int8-2t', 0.016),
        ],
      },
      { networkCase: v1(1, 224, 'batch'), multAdds: 569e6, results: [ok('sepconv-cpu', 0.03)] },
      { networkCase: v1(2, 224, 'batch'), multAdds: 2 * 569e6, results: [ok('sepconv-cpu', 0.064)] },
      { networkCase: v1(4, 224, 'batch'), multAdds: 4 * 569e6, results: [ok('sepconv-cpu', 0.15)] },
      {
        networkCase: { ...mobilenetNetworks.find((c) => c.id === 'mobilenet-v2-1.00-224-b1')! },
        multAdds: 300e6,
        results: [ok('sepconv-cpu-2t', 0.0095)],
      },
      {
        networkCase: { ...mobilenetNetworks.find((c) => c.id === 'onnx-mobilenet-v2-1.00-224-b1')! },
        multAdds: 300e6,
        results: [ok('sepconv-cpu-2t', 0.01), ok('onnxruntime-web-2t', 0.019)],
      },
      {
        networkCase: { ...mobilenetNetworks.find((c) => c.id === 'onnx-mobilenet-v3-large-1.00-224-b1')! },
        multAdds: 217e6,
        results: [ok('sepconv-cpu-2t', 0.01), ok('onnxruntime-web-2t', 0.021)],
      },
    ],
  };
  it('checks absolute times, ratios to peers and scaling with multiply-adds', () => {
    const targets = networkTargets(results);
    const find = (text: string) => targets.find((t) => t.title.includes(text))!;
    expect(find('2 threads ≤ 13 ms').ok).toBe(true);
    expect(find('1 thread ≤ 24 ms').ok).toBe(false);
    expect(find('2.1× onnxruntime-web').ok).toBe(true);
    expect(find('3× tfjs-wasm').ok).toBe(true);
    expect(find('V2 1.0-224: sepconv-cpu 2 threads ≤ 9 ms').ok).toBe(false);
    expect(targets.some((t) => t.title.includes('plain SIMD'))).toBe(false);
    expect(find('tfjs-webgpu').ok).toBeUndefined();
    expect(find('≥ 1.8× its 1-thread speed').ok).toBe(true);
    expect(find('≥ 1.8× its 1-thread speed').detail).toBe('2.50× (12.0 vs 30.0 ms)');
    expect(find('time to first result').ok).toBe(false);
    expect(find('time to first result').detail).toBe('3.33× (40.0 vs 12.0 ms)');
    expect(find('sepconv-cpu-2t-int8 ≥ 2× sepconv-cpu-2t').ok).toBe(false);
    expect(find('sepconv-cpu-2t-int8 ≥ 2× sepconv-cpu-2t').detail).toBe('1.50× (8.00 vs 12.0 ms)');
    expect(find('sepconv-cpu-2t-int8 ≥ 3× onnxruntime-web-2t').ok).toBe(true);
    expect(find('sepconv-cpu-2t-int8 ≥ 3× onnxruntime-web-2t').detail).toBe('4.13× (8.00 vs 33.0 ms)');
    // Reported without a goal.
    expect(find('sepconv-webgpu-int8 against sepconv-webgpu')).toMatchObject({ ok: undefined, detail: 'not measured' });
    expect(find('against onnxruntime-web-int8-2t')).toMatchObject({ ok: undefined, detail: '2.00× (8.00 vs 16.0 ms)' });
    expect(find('V2 1.0-224 from one .onnx file').ok).toBe(false);
    expect(find('V2 1.0-224 from one .onnx file').detail).toBe('1.90× (10.0 vs 19.0 ms)');
    expect(find('V3-Large 1.0-224 from one .onnx file').ok).toBe(true);
    const scaling = find('batch scaling of sepconv-cpu');
    expect(scaling.ok).toBe(false);
    expect(scaling.detail).toBe('1: +0%, 2: +7%, 4: +25%');
  });
  it('holds a run without relaxed SIMD to the plain-SIMD goal only', () => {
    const targets = networkTargets({ ...results, machine: { ...results.machine, relaxedSimd: false } });
    const titles = targets.map((t) => t.title);
    expect(targets.find((t) => t.title.includes('≤ 18 ms (plain SIMD)'))?.ok).toBe(true);
    expect(titles.filter((t) => t.includes('relaxed SIMD'))).toEqual([]);
    expect(titles.some((t) => t.includes('tfjs-wasm'))).toBe(false);
  });
});

describe('formatNetworkResults', () => {
  const ok = (contender: string, seconds: number) => ({ contender, status: 'ok' as const, bestSeconds: seconds, medianSeconds: seconds, runs: 1 });
  const results: NetworkBenchResults = {
    date: '',
    machine: {
      host: 'test',
      cpuModel: 'test CPU',
      logicalCores: 2,
      platform: 'linux',
      arch: 'x64',
      totalMemoryBytes: 0,
      node: '20.20.2',
      v8: '11',
      nodeFlags: [],
      loadAverage: [0, 0, 0],
      relaxedSimd: true,
    },
    settings: { warmupRuns: 0, minRuns: 1, maxRuns: 1, budgetSeconds: 0, profileSeconds: 0, seed: 1 },
    profile: { entries: [], method: '' },
    unavailable: [],
    cases: [
      {
        networkCase: { id: 'v1', title: 'MobileNetV1 1.00-224, batch 1', model: 'mobilenet-v1', alpha: 1, resolution: 224, batch: 1 },
        multAdds: 500e6,
        results: [{ ...ok('sepconv-cpu', 0.02), firstResultSeconds: 0.05 }],
      },
    ],
  };

  it('prints plain text (no colour codes into pipes or files) in GFLOP/s, as the layer table', () => {
    const text = formatNetworkResults(results);
    expect(text).not.toMatch(/\x1b\[/);
    expect(text).toMatch(/GFLOP\/s/);
    expect(text).not.toMatch(/GMAC/);
    // 2 × 500M multiply-adds in 20 ms.
    expect(text).toMatch(/│ sepconv-cpu +│ 20\.0 +│ 20\.0 +│ +│ 50\.0 +│ 50\.0 \(2\.5×\) +│/);
    expect(text).toContain("sepconv's own goals");
  });
});
