// The quantized network written as QDQ ONNX gives sepconv's int8 results to ONNX Runtime:
// layer by layer within one quantization step (its own requantization rounding), the whole V1
// close, and ONNX Runtime runs the convolutions and adds of V1 and V2 as QLinearConv and
// QLinearAdd (integers), none in float.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCpuBackend } from '@sepconv/cpu';
import { instantiate, onlyOutput, type QuantizedModel } from '@sepconv/mobilenet';
import { randomUniform, type HostTensor } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { buildNetwork, quickNetworks } from '../src/networks/network-case.js';
import { quantizedNetwork } from '../src/networks/network-contenders.js';
import { NETWORK_INPUT, NETWORK_OUTPUT } from '../src/networks/plan-to-onnx.js';
import { onnxQuantizedNetworkModel } from '../src/networks/quantized-plan-to-onnx.js';
import { onnxSchema } from '../src/onnx/onnx-conv-model.js';
import { nchw } from './support/nchw.js';

async function quantized(id: string): Promise<{ model: QuantizedModel; x: HostTensor }> {
  const networkCase = quickNetworks.find((c) => c.id === id)!;
  const x = randomUniform([1, networkCase.resolution, networkCase.resolution, 3], 2, -1, 1);
  return { model: await quantizedNetwork(buildNetwork(networkCase), x), x };
}

async function sepconvInt8(model: QuantizedModel, x: HostTensor): Promise<HostTensor> {
  const backend = await createCpuBackend({ threads: 1 });
  try {
    return onlyOutput(await (await instantiate(model.spec, backend, { weights: model.weights })).predictAsync(x));
  } finally {
    backend.dispose();
  }
}

/** ONNX Runtime (node) on the written model; `optimizedModelFilePath` keeps the graph it ran. */
async function onnxRuntime(bytes: Uint8Array, x: HostTensor, options: object): Promise<Float32Array> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(bytes, options);
  const [, height, width, channels] = x.shape as [number, number, number, number];
  const result = await session.run({ [NETWORK_INPUT]: new ort.Tensor('float32', nchw(x), [1, channels, height, width]) });
  const y = (await result[NETWORK_OUTPUT]!.getData()) as Float32Array;
  await session.release();
  return y;
}

describe('onnxQuantizedNetworkModel', () => {
  for (const [id, convolutions, adds] of [
    // 27 convolutions, the average pool (a depthwise convolution in sepconv's plan) and the classifier.
    ['mobilenet-v1-0.25-64-b1', 29, 0],
    // 52 convolutions, the average pool and the classifier; 10 residual adds.
    ['mobilenet-v2-0.35-64-b1', 54, 10],
  ] as const) {
    it(`${id}: ONNX Runtime runs every convolution as QLinearConv and every add as QLinearAdd (none left in float)`, async () => {
      const { model, x } = await quantized(id);
      const optimized = join(mkdtempSync(join(tmpdir(), 'qdq-')), 'optimized.onnx');
      await onnxRuntime(onnxQuantizedNetworkModel(model, 1, id), x, { graphOptimizationLevel: 'all', optimizedModelFilePath: optimized });
      const graph = (
        onnxSchema().lookupType('onnx.ModelProto').decode(readFileSync(optimized)) as unknown as { graph: { node: { opType: string }[] } }
      ).graph;
      const ops = graph.node.map((n) => n.opType);
      expect(ops.filter((op) => op === 'QLinearConv')).toHaveLength(convolutions);
      expect(ops.filter((op) => op === 'QLinearAdd')).toHaveLength(adds);
      expect(ops).not.toContain('Conv');
      expect(ops).not.toContain('Add');
      // One quantization of the input and one dequantization of the logits before the float softmax.
      expect(ops.filter((op) => op === 'QuantizeLinear')).toHaveLength(1);
      expect(ops.filter((op) => op === 'DequantizeLinear')).toHaveLength(1);
    });
  }

  it('mobilenet-v1-0.25-64-b1: ONNX Runtime gives sepconv int8 output within 5% of its largest probability', async () => {
    const { model, x } = await quantized('mobilenet-v1-0.25-64-b1');
    const theirs = await onnxRuntime(onnxQuantizedNetworkModel(model, 1, 'v1'), x, { graphOptimizationLevel: 'all' });
    const ours = (await sepconvInt8(model, x)).data;
    const largest = Math.max(...ours);
    expect(theirs.length).toBe(ours.length);
    ours.forEach((v, i) => expect(Math.abs(v - theirs[i]!)).toBeLessThanOrEqual(0.05 * largest));
  });

  it("MobileNetV2, layer by layer (ONNX's own QDQ semantics, unoptimized): convolutions, depthwise and the residual add within 1–3 quantization steps of sepconv's", async () => {
    const { model, x } = await quantized('mobilenet-v2-0.35-64-b1');
    // Steps: sepconv's fixed-point requantization and ONNX's float one round a few values differently; differences grow one layer to the next.
    const allowed: Record<string, number> = { Conv1: 1, expanded_conv_depthwise: 1, expanded_conv_project: 1, block_2_add: 3 };
    for (const [layer, steps] of Object.entries(allowed)) {
      const truncated: QuantizedModel = { spec: { ...model.spec, outputs: [layer] }, weights: model.weights };
      const ours = await sepconvInt8(truncated, x);
      const theirs = await onnxRuntime(onnxQuantizedNetworkModel(truncated, 1, layer), x, { graphOptimizationLevel: 'disabled' });
      const ourNchw = nchw(ours);
      const { scale } = model.spec.quantization.activations[layer]!;
      let worst = 0;
      ourNchw.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - theirs[i]!) / scale)));
      expect(theirs.length, layer).toBe(ourNchw.length);
      // Rounded: a difference of n steps is n · scale up to float32 rounding.
      expect(Math.round(worst), layer).toBeLessThanOrEqual(steps);
    }
  });
});
