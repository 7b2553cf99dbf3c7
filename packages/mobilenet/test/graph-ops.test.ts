// The graph-model reader's op table, row by row, on small model.json files written here the
// way tensorflowjs_converter writes them; checked at the spec level (the layers, their shapes,
// options and weights), with the numbers compared to tfjs-converter where today's runtime runs
// the graph. Also: several inputs and outputs, TF-Hub's input scaling, folding only when
// nothing else reads a tensor, and every unsupported node listed in one error.
import type { GraphLayer, LayerSpec } from '@sepconv/graph';
import { randomUniform, UnsupportedError, ValueError } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import * as tfc from '@tensorflow/tfjs-converter';
import { describe, expect, it } from 'vitest';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import { GRAPH_OPS } from '../src/weights/graph-lowerings.js';
import { loadGraphModel } from '../src/weights/load-graph-model.js';
import { graphBuilder } from './support/tiny-graph-model.js';
import { tf } from './support/tfjs.js';

type Graph = ReturnType<typeof graphBuilder>;

/** A graph with input `x` of `dims`, built by `body`, loaded; its layers by name. */
function load(dims: number[], body: (g: Graph) => void, extra?: Record<string, unknown>, options?: Parameters<typeof loadGraphModel>[2]) {
  const g = graphBuilder();
  g.placeholder('x', dims);
  body(g);
  const { modelJson, weightData } = g.model(extra);
  const loaded = loadGraphModel(modelJson, weightData, options);
  const layer = (name: string): GraphLayer =>
    loaded.spec.layers.find((l) => l.name === name) ?? expect.fail(`no layer '${name}' in ${loaded.spec.layers.map((l) => l.name).join(', ')}`);
  return { ...loaded, layer, modelJson, weightData };
}

function pick<T extends LayerSpec['type']>(layer: GraphLayer, type: T): Extract<GraphLayer, { type: T }> {
  expect(layer.type).toBe(type);
  return layer as Extract<GraphLayer, { type: T }>;
}

const NHWC = [1, 8, 8, 4];
const axes = (g: Graph, name: string, values: number[]) => g.constant(name, [values.length], 'int32', values);

describe('GRAPH_OPS: each row lowers its op', () => {
  it('Placeholder: several inputs, in file order (or the signature order); an open size needs options.inputShape', () => {
    const two = load([1, 4, 4, 3], (g) => {
      g.placeholder('y', [1, 4, 4, 3]);
      g.node('sum', 'AddV2', ['y', 'x']);
    });
    expect(two.spec.inputs.map((i) => i.name)).toEqual(['y', 'x']);
    expect(two.layer('sum').inputs).toEqual(['y', 'x']);
    const open = (options?: Parameters<typeof loadGraphModel>[2]) => load([-1, -1, -1, 3], (g) => g.node('r', 'Relu', ['x']), undefined, options);
    expect(() => open()).toThrow(/input 'x' has shape \[-1, -1, -1, 3\]: give its size in options.inputShape/);
    expect(open({ inputShape: [2, 96, 128, 3] }).spec.inputs[0]!.shape).toEqual([2, 96, 128, 3]);
    expect(() => open({ inputShape: [1, 96, 96] })).toThrow(ValueError);
  });

  it('Const, Identity, StopGradient, NoOp: constants reach their users through Identity; the others pass tensors through', () => {
    const { spec, weights } = load(NHWC, (g) => {
      g.node('w_id', 'Identity', [g.random('w', [1, 1, 4, 6])]);
      g.nodes.push({ name: 'init', op: 'NoOp' });
      g.node('stop', 'StopGradient', ['x', '^init']);
      g.node('conv', 'Conv2D', ['stop', 'w_id'], g.conv({}));
      g.node('out', 'Identity', ['conv']);
    });
    expect(spec.layers.map((l) => [l.type, l.name, l.inputs])).toEqual([['pointwiseConv2d', 'out', ['x']]]);
    expect(spec.outputs).toEqual(['out']);
    expect(weights.get('out/kernel')!.shape).toEqual([1, 1, 4, 6]);
  });

  it('Conv2D: k×k with EXPLICIT padding, 1×1 stride 1 as pointwise; DepthwiseConv2dNative with a multiplier', () => {
    const { layer } = load(NHWC, (g) => {
      g.node('c', 'Conv2D', ['x', g.random('c/w', [3, 3, 4, 8])], {
        ...g.conv({ strides: 2, padding: 'EXPLICIT' }),
        explicit_paddings: g.ints([0, 0, 1, 0, 0, 1, 0, 0]),
      });
      g.node('p', 'Conv2D', ['c', g.random('p/w', [1, 1, 8, 5])], g.conv({}));
      g.node('d', 'DepthwiseConv2dNative', ['p', g.random('d/w', [3, 3, 5, 2])], g.conv({}));
    });
    const c = pick(layer('c'), 'conv2d');
    expect([c.padding, c.strides, c.outputShape]).toEqual([{ top: 1, bottom: 0, left: 0, right: 1 }, [2, 2], [1, 4, 4, 8]]);
    expect(pick(layer('p'), 'pointwiseConv2d').outputShape).toEqual([1, 4, 4, 5]);
    const d = pick(layer('d'), 'depthwiseConv2d');
    expect([d.channelMultiplier, d.padding, d.outputShape]).toEqual([2, 'same', [1, 4, 4, 10]]);
  });

  it('_FusedConv2D / FusedDepthwiseConv2dNative: BiasAdd + Relu/Relu6 fused; FusedBatchNorm (+ an activation no kernel fuses) as layers after it', () => {
    const { layer, spec, weights } = load(NHWC, (g) => {
      g.node('a', '_FusedConv2D', ['x', g.random('a/w', [3, 3, 4, 8]), g.random('a/b', [8])], g.conv({ fused: ['BiasAdd', 'Relu'] }));
      const bn = ['a/gamma', 'a/beta', 'a/mean', 'a/var'].map((n, i) => g.random(`bn/${n}`, [16], i === 3 ? 0.5 : -0.5, i === 3 ? 1.5 : 0.5));
      g.node('b', 'FusedDepthwiseConv2dNative', ['a', g.random('b/w', [3, 3, 8, 2]), ...bn], {
        ...g.conv({ fused: ['FusedBatchNorm', 'Sigmoid'] }),
        epsilon: { f: 0.01 },
      });
    });
    const a = pick(layer('a'), 'conv2d');
    expect([a.useBias, a.activation]).toEqual([true, 'relu']);
    // The node's name goes to its last layer, the tensor its readers (and the model's outputs) read.
    expect(spec.layers.map((l) => [l.type, l.name])).toEqual([
      ['conv2d', 'a'],
      ['depthwiseConv2d', 'b/depthwiseConv2d'],
      ['batchNorm', 'b/batch_norm'],
      ['activation', 'b'],
    ]);
    expect(spec.outputs).toEqual(['b']);
    expect(pick(layer('b/batch_norm'), 'batchNorm').epsilon).toBe(0.01);
    expect(weights.get('b/depthwiseConv2d/depthwise_kernel')!.shape).toEqual([3, 3, 8, 2]);
    expect(weights.get('b/batch_norm/moving_variance')!.shape).toEqual([16]);
  });

  it('BiasAdd: becomes the bias of the convolution before it; after anything else, an add of a constant', () => {
    const { spec, layer, weights } = load(NHWC, (g) => {
      g.node('c', 'Conv2D', ['x', g.random('c/w', [1, 1, 4, 4])], g.conv({}));
      g.node('c_bias', 'BiasAdd', ['c', g.random('c/b', [4])]);
      g.node('r', 'Relu', ['c_bias']);
      g.node('r_bias', 'BiasAdd', ['r', g.random('r/b', [4])]);
    });
    expect(spec.layers.map((l) => l.name)).toEqual(['c', 'r', 'r_bias']);
    expect(pick(layer('c'), 'pointwiseConv2d').useBias).toBe(true);
    expect(weights.get('c/bias')!.shape).toEqual([4]);
    expect(pick(layer('r_bias'), 'add').constant).toEqual({ shape: [4], side: 'right' });
    expect(weights.get('r_bias/constant')!.shape).toEqual([4]);
  });

  it("Add/AddV2/Sub/Mul/RealDiv: TF-Hub's input scaling (Mul, Sub by constants before the first conv), either side; two tensors broadcast (SE)", () => {
    const { layer, spec, weights } = load(NHWC, (g) => {
      g.node('hub_input/Mul', 'Mul', ['x', g.constant('scale', [], 'float32', [1 / 127.5])]);
      g.node('hub_input/Sub', 'Sub', ['hub_input/Mul', g.constant('one', [], 'float32', [1])]);
      g.node('flip', 'Sub', [g.constant('c', [4], 'float32', [1, 2, 3, 4]), 'hub_input/Sub']);
      g.node('half', 'RealDiv', ['flip', g.constant('two', [1, 1, 1, 4], 'float32', [2, 2, 2, 2])]);
      g.node('se', 'Mean', ['half', axes(g, 'se/axes', [1, 2])], { keep_dims: { b: true } });
      g.node('gate', 'Mul', ['half', 'se']);
      g.node('res', 'Add', ['gate', 'x']);
    });
    expect(spec.layers.map((l) => l.type)).toEqual(['mul', 'sub', 'sub', 'div', 'pool', 'mul', 'add']);
    expect(pick(layer('hub_input/Mul'), 'mul').constant).toEqual({ shape: [], side: 'right' });
    expect(weights.get('hub_input/Mul/constant')!.data[0]).toBeCloseTo(1 / 127.5, 7);
    expect(pick(layer('flip'), 'sub').constant).toEqual({ shape: [4], side: 'left' });
    const gate = pick(layer('gate'), 'mul');
    expect([gate.inputs, gate.inputShapes, gate.outputShape]).toEqual([['half', 'se'], [NHWC, [1, 1, 1, 4]], NHWC]);
    expect(layer('res').inputs).toEqual(['gate', 'x']);
  });

  it('Relu, Relu6, Sigmoid, Softmax; hard-swish as converted V3 graphs write it (x · Relu6(x + 3) / 6) as separate layers', () => {
    const { spec } = load(NHWC, (g) => {
      g.node('r', 'Relu', ['x']);
      g.node('plus3', 'AddV2', ['r', g.constant('three', [], 'float32', [3])]);
      g.node('r6', 'Relu6', ['plus3']);
      g.node('times', 'Mul', ['r', 'r6']);
      g.node('hswish', 'Mul', ['times', g.constant('sixth', [], 'float32', [1 / 6])]);
      g.node('s', 'Sigmoid', ['hswish']);
      g.node('p', 'Softmax', ['s']);
    });
    expect(spec.layers.map((l) => (l.type === 'activation' ? l.activation : l.type))).toEqual([
      'relu',
      'add',
      'relu6',
      'mul',
      'mul',
      'sigmoid',
      'softmax',
    ]);
  });

  it('Mean over height and width is global average pooling (keep_dims either way); over channels it is refused', () => {
    const keep = load(NHWC, (g) => void g.node('m', 'Mean', ['x', axes(g, 'ax', [1, 2])], { keep_dims: { b: true } }));
    expect(pick(keep.layer('m'), 'pool')).toMatchObject({ global: true, mode: 'avg', keepDims: true, outputShape: [1, 1, 1, 4] });
    const flat = load(NHWC, (g) => void g.node('m', 'Mean', ['x', axes(g, 'ax', [-2, -3])]));
    expect(flat.layer('m').outputShape).toEqual([1, 4]);
    expect(() => load(NHWC, (g) => void g.node('m', 'Mean', ['x', axes(g, 'ax', [3])]))).toThrow(
      /'Mean' \(node 'm': a mean over axes \[3\] of a rank-4 tensor; only height and width/,
    );
  });

  it('AvgPool and MaxPool with SAME and VALID windows', () => {
    const { layer } = load(NHWC, (g) => {
      g.node('a', 'AvgPool', ['x'], {
        ksize: g.ints([1, 3, 3, 1]),
        strides: g.ints([1, 2, 2, 1]),
        padding: g.str('SAME'),
        data_format: g.str('NHWC'),
      });
      g.node('m', 'MaxPool', ['a'], { ksize: g.ints([1, 2, 2, 1]), strides: g.ints([1, 2, 2, 1]), padding: g.str('VALID') });
    });
    expect(pick(layer('a'), 'pool')).toMatchObject({ mode: 'avg', poolSize: [3, 3], padding: 'same', outputShape: [1, 4, 4, 4] });
    expect(pick(layer('m'), 'pool')).toMatchObject({ mode: 'max', poolSize: [2, 2], padding: 'valid', outputShape: [1, 2, 2, 4] });
  });

  it('ConcatV2 of several tensors on channels (axis -1 or 3)', () => {
    const { layer } = load(NHWC, (g) => {
      g.node('r', 'Relu', ['x']);
      g.node('cat', 'ConcatV2', ['x', 'r', 'x', g.constant('axis', [], 'int32', [-1])], { N: { i: '3' } });
    });
    expect(pick(layer('cat'), 'concat')).toMatchObject({ axis: 3, inputs: ['x', 'r', 'x'], outputShape: [1, 8, 8, 12] });
  });

  it('Pad/PadV2: a zero Pad read only by a VALID convolution becomes its padding; otherwise a pad layer; MirrorPad is refused', () => {
    const { spec, layer } = load(NHWC, (g) => {
      g.node('pad', 'Pad', ['x', g.constant('pads', [4, 2], 'int32', [0, 0, 0, 1, 0, 1, 0, 0])]);
      g.node('dw', 'DepthwiseConv2dNative', ['pad', g.random('dw/w', [3, 3, 4, 1])], g.conv({ strides: 2, padding: 'VALID' }));
      g.node('pad2', 'PadV2', ['dw', g.constant('pads2', [4, 2], 'int32', [0, 0, 1, 1, 2, 2, 0, 0]), g.constant('v', [], 'float32', [-1])]);
      g.node('r', 'Relu', ['pad2']);
    });
    expect(spec.layers.map((l) => l.name)).toEqual(['dw', 'pad2', 'r']);
    expect(pick(layer('dw'), 'depthwiseConv2d').padding).toEqual({ top: 0, bottom: 1, left: 0, right: 1 });
    expect(pick(layer('pad2'), 'pad')).toMatchObject({ padding: { top: 1, bottom: 1, left: 2, right: 2 }, value: -1, outputShape: [1, 6, 8, 4] });
    const shared = load(NHWC, (g) => {
      g.node('pad', 'Pad', ['x', g.constant('pads', [4, 2], 'int32', [0, 0, 1, 1, 1, 1, 0, 0])]);
      g.node('conv', 'Conv2D', ['pad', g.random('w', [3, 3, 4, 4])], g.conv({ padding: 'VALID' }));
      g.node('also', 'Relu', ['pad']);
    });
    // The Pad has a second reader: it stays a layer, and the convolution reads it with its own VALID padding.
    expect(shared.spec.layers.map((l) => [l.type, l.name])).toEqual([
      ['pad', 'pad'],
      ['conv2d', 'conv'],
      ['activation', 'also'],
    ]);
    expect(pick(shared.layer('conv'), 'conv2d').padding).toBe('valid');
    expect(() =>
      load(
        NHWC,
        (g) => void g.node('mp', 'MirrorPad', ['x', g.constant('p', [4, 2], 'int32', [0, 0, 1, 1, 1, 1, 0, 0])], { mode: g.str('REFLECT') }),
      ),
    ).toThrow(/'MirrorPad' \(node 'mp': mode 'REFLECT' mirrors the border, which sepconv does not run; only constant padding \(Pad, PadV2\)\)/);
  });

  it('Reshape (a constant shape, -1 inferred) and Squeeze (listed axes, or every size-1 axis)', () => {
    const { layer } = load(
      [1, 1, 1, 12],
      (g) => {
        g.node('sq', 'Squeeze', ['x'], { squeeze_dims: g.ints([1, 2]) });
        g.node('rs', 'Reshape', ['sq', g.constant('shape', [3], 'int32', [-1, 3, -1])]);
        g.node('all', 'Squeeze', ['x']);
      },
      { signature: { outputs: { rs: { name: 'rs:0' }, all: { name: 'all:0' } } } },
    );
    expect(pick(layer('sq'), 'reshape').targetShape).toEqual([12]);
    expect(pick(layer('rs'), 'reshape').targetShape).toEqual([3, 4]);
    expect(pick(layer('all'), 'reshape').targetShape).toEqual([12]);
  });

  it('MatMul / _FusedMatMul: a dense layer; transpose_b transposes the stored kernel', () => {
    const { layer, weights } = load([2, 6], (g) => {
      g.constant(
        'k',
        [3, 6],
        'float32',
        Array.from({ length: 18 }, (_, i) => i),
      );
      g.node('fc', '_FusedMatMul', ['x', 'k', g.random('b', [3])], {
        transpose_b: { b: true },
        fused_ops: { list: { s: [btoa('BiasAdd'), btoa('Relu')] } },
      });
    });
    expect(pick(layer('fc'), 'dense')).toMatchObject({ units: 3, useBias: true, activation: 'relu', outputShape: [2, 3] });
    const kernel = weights.get('fc/kernel')!;
    expect(kernel.shape).toEqual([6, 3]);
    expect(Array.from(kernel.data.slice(0, 6))).toEqual([0, 6, 12, 1, 7, 13]);
  });

  it('ResizeBilinear with align_corners or half_pixel_centers', () => {
    const { layer } = load(NHWC, (g) => {
      g.node('up', 'ResizeBilinear', ['x', g.constant('size', [2], 'int32', [16, 12])], { half_pixel_centers: { b: true } });
      g.node('ac', 'ResizeBilinear', ['up', g.constant('size2', [2], 'int32', [5, 5])], { align_corners: { b: true } });
    });
    expect(pick(layer('up'), 'resizeBilinear')).toMatchObject({
      size: [16, 12],
      alignCorners: false,
      halfPixelCenters: true,
      outputShape: [1, 16, 12, 4],
    });
    expect(pick(layer('ac'), 'resizeBilinear')).toMatchObject({ alignCorners: true, halfPixelCenters: false });
  });

  it('FusedBatchNorm / FusedBatchNormV3 in inference mode are batch norm layers (folded when instantiated); is_training is refused', () => {
    const bn = (op: string, training: boolean) =>
      load(NHWC, (g) => {
        const params = ['s', 'o', 'm', 'v'].map((n) => g.random(`bn/${n}`, [4], 0.5, 1.5));
        g.node('bn', op, ['x', ...params], { epsilon: { f: 0.001 }, is_training: { b: training } });
      });
    expect(pick(bn('FusedBatchNorm', false).layer('bn'), 'batchNorm').epsilon).toBe(0.001);
    expect(bn('FusedBatchNormV3', false).weights.get('bn/gamma')!.shape).toEqual([4]);
    expect(() => bn('FusedBatchNormV3', true)).toThrow(/is_training is true/);
  });

  it('every row is a function of the table, and no prototype name is an op', () => {
    expect(Object.keys(GRAPH_OPS)).toEqual(expect.arrayContaining(['Conv2D', 'FusedBatchNormV3', 'ResizeBilinear', 'MirrorPad', 'NoOp']));
    expect(() => load(NHWC, (g) => void g.node('t', 'toString', ['x']))).toThrow(/'toString' \(node 't'\)/);
  });
});

describe('graphs, not chains', () => {
  it('several outputs: the signature names them (by key, in its order); a shared backbone feeds two heads', () => {
    const signature = { inputs: { image: { name: 'x:0' } }, outputs: { boxes: { name: 'boxes_id:0' }, scores: { name: 'scores:0' } } };
    const { spec, weights } = load(
      NHWC,
      (g) => {
        g.node('backbone', '_FusedConv2D', ['x', g.random('bb/w', [3, 3, 4, 8]), g.random('bb/b', [8])], g.conv({ fused: ['BiasAdd', 'Relu6'] }));
        g.node('box', 'Conv2D', ['backbone', g.random('box/w', [1, 1, 8, 4])], g.conv({}));
        g.node('boxes_id', 'Identity', ['box']);
        g.node('cls', 'Conv2D', ['backbone', g.random('cls/w', [1, 1, 8, 3])], g.conv({}));
        g.node('scores', 'Sigmoid', ['cls']);
        g.node('unused', 'Relu', ['backbone']);
      },
      { signature },
    );
    expect(spec.outputs).toEqual(['boxes', 'scores']);
    expect(spec.layers.map((l) => [l.name, l.inputs])).toEqual([
      ['backbone', ['x']],
      ['boxes', ['backbone']],
      ['cls', ['backbone']],
      ['scores', ['cls']],
    ]);
    expect(weights.get('boxes/kernel')!.shape).toEqual([1, 1, 8, 4]);
  });

  it('several outputs without a signature: the nodes nothing reads, in file order', () => {
    const { spec } = load(NHWC, (g) => {
      g.node('a', 'Relu', ['x']);
      g.node('b', 'Relu6', ['a']);
      g.node('c', 'Sigmoid', ['a']);
    });
    expect(spec.outputs).toEqual(['b', 'c']);
  });

  it('with userDefinedMetadata.signature, as older converters write it', () => {
    const { spec } = load(
      NHWC,
      (g) => {
        g.node('a', 'Relu', ['x']);
        g.node('Identity', 'Identity', ['a']);
      },
      { userDefinedMetadata: { signature: { outputs: { 'Identity:0': { name: 'Identity:0' } } } } },
    );
    expect(spec.outputs).toEqual(['Identity:0']);
  });

  it('lists every unsupported op and node in one error, grouped by op, with the reason where the op is read but its use is not', () => {
    let error: unknown;
    try {
      load(NHWC, (g) => {
        g.node('e1', 'Elu', ['x']);
        g.node('e2', 'Elu', ['e1']);
        g.node('e3', 'Elu', ['x']);
        g.node('top', 'TopKV2', ['x', g.constant('k', [], 'int32', [2])]);
        g.node('mp', 'MirrorPad', ['x', g.constant('p', [4, 2], 'int32', [0, 0, 1, 1, 1, 1, 0, 0])], { mode: g.str('SYMMETRIC') });
        g.node('ok', 'Relu', ['x']);
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedError);
    // e2 reads e1 and is skipped: it is not what is missing.
    expect((error as Error).message).toBe(
      "loadGraphModel: 4 nodes do not run: 'Elu' (2 nodes 'e1', 'e3'); 'TopKV2' (node 'top'); 'MirrorPad' (node 'mp': mode 'SYMMETRIC' mirrors the border, which sepconv does not run; only constant padding (Pad, PadV2))",
    );
  });

  it('a graph the runtime runs today agrees with tfjs-converter: zero Pad into a VALID depthwise, EXPLICIT conv, Squeeze, transposed MatMul', async () => {
    const { spec, weights, modelJson, weightData } = load([2, 9, 9, 3], (g) => {
      g.node('c', 'Conv2D', ['x', g.random('c/w', [3, 3, 3, 6])], {
        ...g.conv({ strides: 2, padding: 'EXPLICIT' }),
        explicit_paddings: g.ints([0, 0, 1, 1, 1, 1, 0, 0]),
      });
      g.node('pad', 'Pad', ['c', g.constant('pads', [4, 2], 'int32', [0, 0, 1, 1, 1, 1, 0, 0])]);
      g.node(
        'dw',
        'FusedDepthwiseConv2dNative',
        ['pad', g.random('dw/w', [3, 3, 6, 1]), g.random('dw/b', [6])],
        g.conv({ padding: 'VALID', fused: ['BiasAdd', 'Relu6'] }),
      );
      g.node('m', 'Mean', ['dw', axes(g, 'ax', [1, 2])], { keep_dims: { b: true } });
      g.node('sq', 'Squeeze', ['m'], { squeeze_dims: g.ints([1, 2]) });
      g.node('fc', 'MatMul', ['sq', g.random('fc/w', [5, 6])], { transpose_b: { b: true } });
      g.node('probs', 'Softmax', ['fc']);
    });
    expect(spec.layers.map((l) => l.type)).toEqual(['conv2d', 'depthwiseConv2d', 'pool', 'reshape', 'dense', 'activation']);
    const x = randomUniform([2, 9, 9, 3], 5);
    const ours = onlyOutput(await (await instantiate(spec, createReferenceBackend(), { weights })).predictAsync(x));
    const model = await tfc.loadGraphModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0]!.weights as tf.io.WeightsManifestEntry[],
        weightData: weightData.slice().buffer,
        format: 'graph-model',
      }),
    );
    const input = tf.tensor4d(x.data, [2, 9, 9, 3]);
    const y = model.execute(input, 'probs') as tf.Tensor;
    const theirs = await y.data();
    expect(ours.shape).toEqual([2, 5]);
    ours.data.forEach((v, i) => expect(Math.abs(v - theirs[i]!)).toBeLessThan(1e-5));
    tf.dispose([input, y]);
  });
});
