// A graph model.json and weight data built in memory, shared by the graph reader's tests.
import { randomUniform } from '@sepconv/tensor';

/** A node of a graph model.json (`modelTopology.node[i]`). */
export interface GraphNodeJson {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, unknown>;
}

/** Builds graph model.json nodes and their weights: constants go to the manifest, as tensorflowjs_converter writes them. */
export function graphBuilder() {
  const nodes: GraphNodeJson[] = [];
  const weights: { name: string; shape: number[]; dtype: 'float32' | 'int32' }[] = [];
  const chunks: Uint8Array[] = [];
  let seed = 1;
  const ints = (values: number[]) => ({ list: { i: values.map(String) } });
  const str = (value: string) => ({ s: btoa(value) });
  const constant = (name: string, shape: number[], dtype: 'float32' | 'int32', values: ArrayLike<number>) => {
    nodes.push({
      name,
      op: 'Const',
      attr: {
        value: { tensor: { dtype: dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32', tensorShape: { dim: shape.map((d) => ({ size: String(d) })) } } },
        dtype: { type: dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32' },
      },
    });
    weights.push({ name, shape, dtype });
    chunks.push(new Uint8Array((dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values)).buffer));
    return name;
  };
  const random = (name: string, shape: number[], low = -0.5, high = 0.5) =>
    constant(name, shape, 'float32', randomUniform(shape, seed++, low, high).data);
  const conv = (attrs: { strides?: number; padding?: string; fused?: string[] }) => ({
    strides: ints([1, attrs.strides ?? 1, attrs.strides ?? 1, 1]),
    padding: str(attrs.padding ?? 'SAME'),
    data_format: str('NHWC'),
    dilations: ints([1, 1, 1, 1]),
    T: { type: 'DT_FLOAT' },
    ...(attrs.fused ? { fused_ops: { list: { s: attrs.fused.map(btoa) } }, num_args: { i: '1' }, epsilon: { f: 0 } } : {}),
  });
  const placeholder = (name: string, dims: number[]) =>
    nodes.push({ name, op: 'Placeholder', attr: { shape: { shape: { dim: dims.map((d) => ({ size: String(d) })) } }, dtype: { type: 'DT_FLOAT' } } });
  const node = (name: string, op: string, input: string[], attr: Record<string, unknown> = {}) => {
    nodes.push({ name, op, input, attr: { T: { type: 'DT_FLOAT' }, ...attr } });
    return name;
  };
  /** The model.json (with `extra` top-level keys, e.g. a signature) and its weight data. */
  const model = (extra: Record<string, unknown> = {}) => {
    const weightData = new Uint8Array(chunks.reduce((total, c) => total + c.length, 0));
    let offset = 0;
    for (const c of chunks) {
      weightData.set(c, offset);
      offset += c.length;
    }
    return {
      modelJson: {
        format: 'graph-model',
        modelTopology: { node: nodes, versions: { producer: 1395 } },
        weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights }],
        ...extra,
      },
      weightData,
    };
  };
  return { nodes, weights, chunks, constant, random, conv, ints, str, placeholder, node, model };
}

/**
 * A small MobileNet-like graph written the way tensorflowjs_converter writes one: Pad + VALID
 * conv, _FusedConv2D / FusedDepthwiseConv2dNative with BiasAdd + Relu6, an unfolded
 * FusedBatchNormV3, a BiasAdd, a residual AddV2, Mean, MatMul and Softmax; random weights.
 */
export function tinyMobileNetGraph() {
  const g = graphBuilder();
  const n = g.nodes;
  n.push({
    name: 'input',
    op: 'Placeholder',
    attr: { shape: { shape: { dim: [{ size: '-1' }, { size: '16' }, { size: '16' }, { size: '3' }] } }, dtype: { type: 'DT_FLOAT' } },
  });
  n.push({
    name: 'pad0',
    op: 'Pad',
    input: ['input', g.constant('pad0/paddings', [4, 2], 'int32', [0, 0, 0, 1, 0, 1, 0, 0])],
    attr: { T: { type: 'DT_FLOAT' } },
  });
  n.push({
    name: 'conv0',
    op: '_FusedConv2D',
    input: ['pad0', g.random('conv0/weights', [3, 3, 3, 8]), g.random('conv0/bias', [8])],
    attr: g.conv({ strides: 2, padding: 'VALID', fused: ['BiasAdd', 'Relu6'] }),
  });
  n.push({ name: 'dw1', op: 'DepthwiseConv2dNative', input: ['conv0', g.random('dw1/weights', [3, 3, 8, 1])], attr: g.conv({}) });
  n.push({
    name: 'bn1',
    op: 'FusedBatchNormV3',
    input: [
      'dw1',
      g.random('bn1/scale', [8], 0.5, 1.5),
      g.random('bn1/offset', [8]),
      g.random('bn1/mean', [8]),
      g.random('bn1/variance', [8], 0.5, 1.5),
    ],
    attr: { epsilon: { f: 0.001 }, data_format: { s: btoa('NHWC') }, T: { type: 'DT_FLOAT' } },
  });
  n.push({ name: 'relu1', op: 'Relu6', input: ['bn1'], attr: { T: { type: 'DT_FLOAT' } } });
  n.push({ name: 'pw1', op: 'Conv2D', input: ['relu1', g.random('pw1/weights', [1, 1, 8, 8])], attr: g.conv({}) });
  n.push({
    name: 'pw1_bias',
    op: 'BiasAdd',
    input: ['pw1', g.random('pw1/bias', [8])],
    attr: { T: { type: 'DT_FLOAT' }, data_format: { s: btoa('NHWC') } },
  });
  n.push({ name: 'add1', op: 'AddV2', input: ['conv0', 'pw1_bias'], attr: { T: { type: 'DT_FLOAT' } } });
  n.push({
    name: 'dw2',
    op: 'FusedDepthwiseConv2dNative',
    input: ['add1', g.random('dw2/weights', [3, 3, 8, 2]), g.random('dw2/bias', [16])],
    attr: g.conv({ strides: 2, fused: ['BiasAdd', 'Relu6'] }),
  });
  n.push({
    name: 'pool',
    op: 'Mean',
    input: ['dw2', g.constant('pool/axes', [2], 'int32', [1, 2])],
    attr: { keep_dims: { b: false }, T: { type: 'DT_FLOAT' }, Tidx: { type: 'DT_INT32' } },
  });
  n.push({
    name: 'fc',
    op: 'MatMul',
    input: ['pool', g.random('fc/weights', [16, 5])],
    attr: { transpose_a: { b: false }, transpose_b: { b: false }, T: { type: 'DT_FLOAT' } },
  });
  n.push({ name: 'fc_bias', op: 'BiasAdd', input: ['fc', g.random('fc/bias', [5])], attr: { T: { type: 'DT_FLOAT' } } });
  n.push({ name: 'probs', op: 'Softmax', input: ['fc_bias'], attr: { T: { type: 'DT_FLOAT' } } });
  const total = g.chunks.reduce((s, c) => s + c.length, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const c of g.chunks) {
    weightData.set(c, offset);
    offset += c.length;
  }
  return {
    modelJson: {
      format: 'graph-model',
      modelTopology: { node: n, versions: { producer: 1395 } },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: g.weights }],
    },
    weightData,
  };
}
