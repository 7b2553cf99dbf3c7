// The graph-model reader against TensorFlow.js's own graph executor (tfjs-converter): a small
// MobileNet-like graph written the way tensorflowjs_converter writes one — Pad + VALID conv,
// _FusedConv2D / FusedDepthwiseConv2dNative with BiasAdd + Relu6 (folded batch norm), an
// unfolded FusedBatchNormV3, a BiasAdd, a residual AddV2, Mean, MatMul and Softmax.
import { modelInput } from '@sepconv/graph';
import { randomUniform, UnsupportedError, ValueError, type HostTensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import * as tfc from '@tensorflow/tfjs-converter';
import { describe, expect, it } from 'vitest';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import { loadGraphModel } from '../src/weights/load-graph-model.js';
import { tinyMobileNetGraph, type GraphNodeJson, type GraphNodeJson as Node } from './support/tiny-graph-model.js';
import { tf } from './support/tfjs.js';

/** Points input `index` of node `name` at `input`. */
function readsInstead(nodes: Node[], name: string, index: number, input: string): void {
  const node = nodes.find((n) => n.name === name)!;
  node.input = Object.assign([...(node.input ?? [])], { [index]: input });
}

async function tfjsGraphPredict(
  modelJson: ReturnType<typeof tinyMobileNetGraph>['modelJson'],
  weightData: Uint8Array,
  x: HostTensor,
): Promise<Float32Array> {
  const model = await tfc.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest[0]!.weights as tf.io.WeightsManifestEntry[],
      weightData: weightData.slice().buffer,
      format: 'graph-model',
    }),
  );
  const input = tf.tensor4d(x.data, x.shape as [number, number, number, number]);
  const y = model.execute(input, 'probs') as tf.Tensor;
  const data = (await y.data()) as Float32Array;
  tf.dispose([input, y]);
  model.dispose();
  return data;
}

describe('loadGraphModel', () => {
  it('runs a converted-style MobileNet graph as tfjs-converter does (within 1e-5)', async () => {
    const { modelJson, weightData } = tinyMobileNetGraph();
    const { spec, weights } = loadGraphModel(modelJson, weightData);
    expect(modelInput(spec).shape).toEqual([1, 16, 16, 3]);
    expect(spec.layers.map((l) => l.type)).toEqual([
      'conv2d',
      'depthwiseConv2d',
      'batchNorm',
      'activation',
      'pointwiseConv2d',
      'add',
      'depthwiseConv2d',
      'pool',
      'dense',
      'activation',
    ]);
    const conv0 = spec.layers[0]!;
    expect(conv0.type === 'conv2d' && conv0.padding).toEqual({ top: 0, bottom: 1, left: 0, right: 1 });
    const x = randomUniform([2, 16, 16, 3], 42);
    const model = await instantiate(spec, createReferenceBackend(), { weights });
    // The unfolded batch norm and the ReLU6 after it fuse into the separable step dw1 → pw1, and
    // the residual AddV2 after it becomes its options.residual (conv0's output, a second input).
    expect(model.plan.steps[1]!.layers).toEqual(['dw1', 'bn1', 'relu1', 'pw1', 'add1']);
    expect(model.plan.steps[1]!.inputs).toEqual([model.plan.steps[0]!.output, model.plan.steps[0]!.output]);
    const ours = onlyOutput(await model.predictAsync(x));
    const theirs = await tfjsGraphPredict(modelJson, weightData, x);
    expect(ours.shape).toEqual([2, 5]);
    ours.data.forEach((v, i) => expect(Math.abs(v - theirs[i]!)).toBeLessThan(1e-5));
  });

  it('names the node of an op it cannot run', () => {
    const { modelJson, weightData } = tinyMobileNetGraph();
    const nodes = modelJson.modelTopology.node;
    nodes.find((n) => n.name === 'relu1')!.op = 'Elu';
    expect(() => loadGraphModel(modelJson, weightData)).toThrow(UnsupportedError);
    expect(() => loadGraphModel(modelJson, weightData)).toThrow(/^loadGraphModel: 1 node does not run: 'Elu' \(node 'relu1'\)$/);
  });

  it('rejects weight data that does not match the manifest', () => {
    const { modelJson, weightData } = tinyMobileNetGraph();
    expect(() => loadGraphModel(modelJson, weightData.subarray(0, 100))).toThrow(/needs bytes/);
    expect(() => loadGraphModel({ modelTopology: {} }, weightData)).toThrow(/must be a graph model/);
  });

  it('names the nodes of a cycle of Identity nodes instead of following it forever', () => {
    const selfLoop = tinyMobileNetGraph();
    readsInstead(selfLoop.modelJson.modelTopology.node, 'conv0', 1, 'loop');
    selfLoop.modelJson.modelTopology.node.push({ name: 'loop', op: 'Identity', input: ['loop'] });
    expect(() => loadGraphModel(selfLoop.modelJson, selfLoop.weightData)).toThrow(ValueError);
    expect(() => loadGraphModel(selfLoop.modelJson, selfLoop.weightData)).toThrow(/Identity nodes form a cycle: 'loop' -> 'loop'/);

    const cycle = tinyMobileNetGraph();
    readsInstead(cycle.modelJson.modelTopology.node, 'conv0', 1, 'a:0');
    cycle.modelJson.modelTopology.node.push(
      { name: 'a', op: 'Identity', input: ['b'] },
      { name: 'b', op: 'Identity', input: ['c:0'] },
      { name: 'c', op: 'Identity', input: ['^ctl', 'b'] },
    );
    expect(() => loadGraphModel(cycle.modelJson, cycle.weightData)).toThrow(/Identity nodes form a cycle: 'b' -> 'c' -> 'b'/);
  });

  it('follows a chain of Identity nodes to a constant', () => {
    const { modelJson, weightData } = tinyMobileNetGraph();
    readsInstead(modelJson.modelTopology.node, 'conv0', 1, 'id2');
    modelJson.modelTopology.node.push({ name: 'id1', op: 'Identity', input: ['conv0/weights'] }, { name: 'id2', op: 'Identity', input: ['id1'] });
    const { weights } = loadGraphModel(modelJson, weightData);
    expect(weights.get('conv0/kernel')!.shape).toEqual([3, 3, 3, 8]);
  });

  it('indexes readers once: 80,000 unsupported nodes reading one input are listed in one bounded error, fast', () => {
    const node: GraphNodeJson[] = [
      { name: 'input', op: 'Placeholder', attr: { shape: { shape: { dim: [{ size: '1' }, { size: '4' }, { size: '4' }, { size: '3' }] } } } },
    ];
    for (let i = 0; i < 80_000; i++) node.push({ name: `elu${i}`, op: 'Elu', input: ['input'] });
    const started = performance.now();
    expect(() => loadGraphModel({ modelTopology: { node }, weightsManifest: [] }, new Uint8Array(0))).toThrow(
      /^loadGraphModel: 80000 nodes do not run: 'Elu' \(80000 nodes 'elu0', 'elu1', 'elu2', 'elu3', … and 79996 more nodes\)$/,
    );
    // Quadratic indexing took ~27 s here; linear takes well under 0.5 s. 3 s leaves room for a loaded CI machine.
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('walks a chain of 20,000 nodes without recursion (a recursive walk overflows the stack)', () => {
    const node: GraphNodeJson[] = [
      { name: 'input', op: 'Placeholder', attr: { shape: { shape: { dim: [{ size: '1' }, { size: '2' }, { size: '2' }, { size: '3' }] } } } },
    ];
    for (let i = 0; i < 20_000; i++) node.push({ name: `relu${i}`, op: 'Relu', input: [i === 0 ? 'input' : `relu${i - 1}`] });
    const { spec } = loadGraphModel({ modelTopology: { node }, weightsManifest: [] }, new Uint8Array(0));
    expect(spec.layers).toHaveLength(20_000);
    expect(spec.outputs).toEqual(['relu19999']);
  });
});
