// The whole-network suite's plumbing, quickly: the same folded MobileNets written for ONNX
// Runtime and TensorFlow.js give what sepconv gives; the targets read the right numbers.
import { instantiate, onlyOutput } from '@sepconv/mobilenet';
import { randomUniform } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { buildNetwork, quickNetworks, type NetworkCase } from '../src/networks/network-case.js';
import { formatNetworkResults, networkTargets } from '../src/networks/network-report.js';
import { NETWORK_INPUT, NETWORK_OUTPUT, onnxNetworkModel } from '../src/networks/plan-to-onnx.js';
import { tfjsNetwork } from '../src/networks/plan-to-tfjs.js';
import type { NetworkBenchResults } from '../src/networks/run-networks.js';

function nchw(x: { data: Float32Array; shape: readonly number[] }): Float32Array {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const out = new Float32Array(x.data.length);
  for (let n = 0; n < b; n++) for (let y = 0; y < h; y++) for (let i = 0; i < w; i++) for (let k = 0; k < c; k++) out[((n * c + k) * h + y) * w + i] = x.data[((n * h + y) * w + i) * c + k]!;
  return out;
}

describe('the network suite writes the same network for every engine', () => {
  for (const networkCase of quickNetworks) {
    it(`${networkCase.title}: sepconv (reference), ONNX Runtime and tfjs-cpu agree`, async () => {
      const network = buildNetwork(networkCase);
      const x = randomUniform([1, networkCase.resolution, networkCase.resolution, 3], 3);
      const ours = onlyOutput(await (await instantiate(network.spec, createReferenceBackend(), { weights: network.weights })).predictAsync(x));
      const ort = await import('onnxruntime-node');
      const session = await ort.InferenceSession.create(onnxNetworkModel(network.plan, 1, networkCase.id));
      const result = await session.run({ [NETWORK_INPUT]: new ort.Tensor('float32', nchw(x), [1, 3, networkCase.resolution, networkCase.resolution]) });
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

describe('networkTargets', () => {
  const v1 = (batch: number, resolution: number, series?: NetworkCase['series']): NetworkCase => ({ id: `v1-${batch}-${resolution}`, title: '', model: 'mobilenet-v1', alpha: 1, resolution, batch, series });
  const ok = (contender: string, seconds: number) => ({ contender, status: 'ok' as const, bestSeconds: seconds, medianSeconds: seconds, samples: [seconds] });
  const results: NetworkBenchResults = {
    date: '',
    machine: { host: 'test', cpuModel: 'test CPU', logicalCores: 2, platform: 'linux', arch: 'x64', totalMemoryBytes: 0, node: '20.20.2', v8: '11', nodeFlags: [], loadAverage: [0, 0, 0], relaxedSimd: true },
    settings: { warmupRuns: 0, minRuns: 1, maxRuns: 1, budgetSeconds: 0, profileSeconds: 0, seed: 1 },
    profile: { entries: [], method: '' },
    unavailable: [],
    cases: [
      { networkCase: v1(1, 224), multAdds: 569e6, results: [ok('sepconv-cpu-2t', 0.012), ok('sepconv-cpu', 0.03), ok('onnxruntime-web-2t', 0.033), ok('tfjs-wasm', 0.037)] },
      { networkCase: v1(1, 224, 'batch'), multAdds: 569e6, results: [ok('sepconv-cpu', 0.03)] },
      { networkCase: v1(2, 224, 'batch'), multAdds: 2 * 569e6, results: [ok('sepconv-cpu', 0.064)] },
      { networkCase: v1(4, 224, 'batch'), multAdds: 4 * 569e6, results: [ok('sepconv-cpu', 0.15)] },
    ],
  };
  it('checks absolute times, ratios to peers and scaling with multiply-adds', () => {
    const targets = networkTargets(results);
    const find = (text: string) => targets.find((t) => t.title.includes(text))!;
    expect(find('2 threads ≤ 15 ms').ok).toBe(true);
    expect(find('1 thread ≤ 25 ms').ok).toBe(false);
    expect(find('2× onnxruntime-web').ok).toBe(true);
    expect(find('2.5× tfjs-wasm').ok).toBe(true);
    expect(find('tfjs-webgpu').ok).toBeUndefined();
    const scaling = find('batch scaling of sepconv-cpu');
    expect(scaling.ok).toBe(false);
    expect(scaling.detail).toBe('1: +0%, 2: +7%, 4: +25%');
  });
});

describe('formatNetworkResults', () => {
  const ok = (contender: string, seconds: number) => ({ contender, status: 'ok' as const, bestSeconds: seconds, medianSeconds: seconds, runs: 1 });
  const results: NetworkBenchResults = {
    date: '',
    machine: { host: 'test', cpuModel: 'test CPU', logicalCores: 2, platform: 'linux', arch: 'x64', totalMemoryBytes: 0, node: '20.20.2', v8: '11', nodeFlags: [], loadAverage: [0, 0, 0], relaxedSimd: true },
    settings: { warmupRuns: 0, minRuns: 1, maxRuns: 1, budgetSeconds: 0, profileSeconds: 0, seed: 1 },
    profile: { entries: [], method: '' },
    unavailable: [],
    cases: [{ networkCase: { id: 'v1', title: 'MobileNetV1 1.00-224, batch 1', model: 'mobilenet-v1', alpha: 1, resolution: 224, batch: 1 }, multAdds: 500e6, results: [ok('sepconv-cpu', 0.02)] }],
  };

  it('prints plain text (no colour codes into pipes or files) in GFLOP/s, as the layer table', () => {
    const text = formatNetworkResults(results);
    expect(text).not.toMatch(/\x1b\[/);
    expect(text).toMatch(/GFLOP\/s/);
    expect(text).not.toMatch(/GMAC/);
    // 2 × 500M multiply-adds in 20 ms.
    expect(text).toMatch(/│ sepconv-cpu +│ 20\.0 +│ 20\.0 +│ +│ 50\.0 +│/);
    expect(text).toContain("sepconv's own goals");
  });
});

