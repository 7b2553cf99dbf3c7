import {
  describeValue,
  formatShape,
  HostTensor,
  SepconvError,
  UnsupportedError,
  ValueError,
  type ConvActivation,
  type Padding,
} from '@sepconv/tensor';
import {
  activationLayer,
  addLayer,
  batchNormLayer,
  conv2dLayer,
  denseLayer,
  depthwiseConv2dLayer,
  modelSpec,
  pointwiseConv2dLayer,
  poolLayer,
  reshapeLayer,
  type LayerSpec,
} from '@sepconv/graph';
import { checkWeightsManifest, decodeWeights } from './decode-weights.js';
import { errorAt } from './error-at.js';
import type { LoadedModel } from './load-layers-model.js';
import type { WeightData } from './weight-bytes.js';

/** Options of {@link loadGraphModel}. */
export interface LoadGraphModelOptions {
  /** NHWC input shape, needed when the graph leaves height or width open. Default: the Placeholder's, batch 1. */
  inputShape?: readonly [number, number, number, number] | undefined;
}

const OP = 'loadGraphModel';

interface GraphNode {
  readonly name: string;
  readonly op: string;
  readonly input: readonly string[];
  readonly attr: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A number from a JSON attribute: TensorFlow writes int64 values as strings (`"2"`); anything else is NaN, for the builders to refuse. */
function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
}

/** Decodes a base64 attribute string (the JSON form of a TensorFlow `bytes` attribute) found at `node`'s `path`. */
function decodeString(node: GraphNode, path: string, value: unknown): string {
  if (typeof value !== 'string') return '';
  try {
    return atob(value);
  } catch {
    throw new ValueError(OP, node.name, `node '${node.name}': ${path} must be base64, got ${describeValue(value)}`);
  }
}

function attrInts(node: GraphNode, key: string): number[] | undefined {
  const list = (node.attr[key] as { list?: { i?: unknown } } | undefined)?.list?.i;
  return Array.isArray(list) ? list.map(toNumber) : undefined;
}

function attrString(node: GraphNode, key: string): string | undefined {
  const value = node.attr[key] as { s?: unknown } | undefined;
  return value?.s === undefined ? undefined : decodeString(node, `attr.${key}.s`, value.s);
}

function attrStrings(node: GraphNode, key: string): string[] {
  const list = (node.attr[key] as { list?: { s?: unknown } } | undefined)?.list?.s;
  return Array.isArray(list) ? list.map((item, i) => decodeString(node, `attr.${key}.list.s[${i}]`, item)) : [];
}

function attrNumber(node: GraphNode, key: string): number | undefined {
  const value = node.attr[key] as { f?: unknown; i?: unknown } | undefined;
  return value?.f !== undefined ? toNumber(value.f) : value?.i !== undefined ? toNumber(value.i) : undefined;
}

/** The Placeholder's dimensions (`attr.shape.shape.dim[].size`), -1 where open or unreadable. */
function placeholderDims(node: GraphNode): number[] {
  const dim = (node.attr.shape as { shape?: { dim?: unknown } } | undefined)?.shape?.dim;
  return Array.isArray(dim) ? dim.map((d) => toNumber(isRecord(d) ? (d.size ?? -1) : -1)) : [];
}

/** A node input `name:1` or `^control` reduced to the producing node's name. */
function source(input: string): string {
  return input.replace(/^\^/, '').replace(/:\d+$/, '');
}

/** The nodes that read each node's output (control inputs `^name` left out), indexed once. */
function consumersByProducer(nodes: readonly GraphNode[]): Map<string, GraphNode[]> {
  const consumers = new Map<string, GraphNode[]>();
  for (const node of nodes) {
    for (const input of node.input) {
      if (input.startsWith('^')) continue;
      const producer = source(input);
      const list = consumers.get(producer);
      if (list) list.push(node);
      else consumers.set(producer, [node]);
    }
  }
  return consumers;
}

/**
 * Follows `Identity` nodes (through their first data input) to the first node that is not
 * one: the file decides the links, so a node that reads itself or a loop of Identity nodes is
 * an error rather than a walk that never ends.
 * @throws ValueError naming the nodes of the cycle.
 */
function skipIdentities(byName: ReadonlyMap<string, GraphNode>, start: GraphNode | undefined): GraphNode | undefined {
  const path: string[] = [];
  const seen = new Set<string>();
  let node = start;
  while (node?.op === 'Identity') {
    if (seen.has(node.name)) {
      const cycle = [...path.slice(path.indexOf(node.name)), node.name];
      throw new ValueError(OP, node.name, `Identity nodes form a cycle: ${cycle.map((n) => `'${n}'`).join(' -> ')}`);
    }
    seen.add(node.name);
    path.push(node.name);
    node = byName.get(source(node.input.find((i) => !i.startsWith('^')) ?? ''));
  }
  return node;
}

/**
 * Reads a TensorFlow.js graph model (`format: 'graph-model'`, as `tensorflowjs_converter`
 * writes from a SavedModel or frozen graph) of a MobileNet-like chain into a sepconv spec and
 * weights: `Conv2D`/`DepthwiseConv2dNative` and their fused forms (`_FusedConv2D`,
 * `FusedDepthwiseConv2dNative` with `BiasAdd` and `Relu`/`Relu6` — batch norm already folded by
 * the converter), `FusedBatchNorm`/`V3` (unfolded; folded at `instantiate`), `BiasAdd`,
 * `Relu`, `Relu6`, `Add`/`AddV2`, `Pad` (into the next convolution's explicit padding),
 * `Mean` over height and width, `AvgPool`, `Reshape`/`Squeeze`, `MatMul` (+ `BiasAdd`) and
 * `Softmax`. Weights come from the manifest by `Const` node name and are renamed to the
 * spec's (`<node>/kernel`, `<node>/bias`, …); shapes are checked when instantiated.
 * @throws UnsupportedError naming the node for an op or layout that does not run;
 * ValueError / ShapeError for malformed files.
 */
export function loadGraphModel(modelJson: unknown, weightData: WeightData, options: LoadGraphModelOptions = {}): LoadedModel {
  if (!isRecord(modelJson) || !isRecord(modelJson.modelTopology) || !Array.isArray(modelJson.modelTopology.node)) {
    throw new ValueError(OP, 'modelJson', 'modelJson must be a graph model: { modelTopology: { node: [...] }, weightsManifest }');
  }
  const nodes: GraphNode[] = modelJson.modelTopology.node.map((raw: unknown, index: number) => {
    const at = `modelJson.modelTopology.node[${index}]`;
    if (!isRecord(raw) || typeof raw.name !== 'string' || typeof raw.op !== 'string') throw new ValueError(OP, at, `${at} must have a name and an op (strings), got ${describeValue(raw)}`);
    const input = raw.input ?? [];
    if (!Array.isArray(input) || !input.every((i) => typeof i === 'string')) {
      throw new ValueError(OP, `${at}.input`, `${at}.input (node '${raw.name}') must be node names (strings), got ${describeValue(raw.input)}`);
    }
    return { name: raw.name, op: raw.op, input: input as string[], attr: isRecord(raw.attr) ? raw.attr : {} };
  });
  const stored = decodeWeights(OP, checkWeightsManifest(OP, modelJson.weightsManifest, 'modelJson.weightsManifest').flatMap((g) => g.weights), weightData);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const consumers = consumersByProducer(nodes);

  const constant = (input: string, where: GraphNode, what: string): HostTensor => {
    const node = skipIdentities(byName, byName.get(source(input)));
    const value = node && node.op === 'Const' ? stored.get(node.name) : undefined;
    if (value === undefined) throw new UnsupportedError(OP, where.name, `node '${where.name}' (${where.op}): its ${what} must be a constant in the weights manifest, got '${input}'`);
    return value;
  };

  const placeholders = nodes.filter((n) => n.op === 'Placeholder');
  if (placeholders.length !== 1) throw new UnsupportedError(OP, 'modelTopology', `the graph must have one input (Placeholder), got ${placeholders.length}`);
  const input = placeholders[0]!;
  const dims = placeholderDims(input);
  const inputShape = options.inputShape ?? (dims.length === 4 && dims.slice(1).every((d) => d > 0) ? [1, dims[1]!, dims[2]!, dims[3]!] : undefined);
  if (inputShape === undefined) {
    throw new UnsupportedError(OP, input.name, `input '${input.name}' has shape ${formatShape(dims)}: pass options.inputShape`);
  }

  const weights = new Map<string, HostTensor>();
  const layers: LayerSpec[] = [];
  const produced = new Map<string, string>([[input.name, input.name]]);
  let previous = input.name;
  let shape: readonly number[] = inputShape;
  let pendingPad: Padding | undefined;
  const order = nodes.filter((n) => n.op !== 'Const' && n.op !== 'Placeholder' && n.op !== 'NoOp');
  const absorbed = new Set<string>();

  const push = (layer: LayerSpec, node: GraphNode): void => {
    layers.push(layer);
    shape = layer.outputShape;
    previous = layer.name;
    produced.set(node.name, layer.name);
  };
  // The activation a fused op or its sole consumers (BiasAdd, Relu, Relu6) bring; those consumers are absorbed.
  const epilogue = (node: GraphNode, fusedOps: readonly string[]): { bias: HostTensor | undefined; activation: ConvActivation; last: GraphNode } => {
    let bias: HostTensor | undefined;
    let activation: ConvActivation = 'linear';
    if (fusedOps.length > 0) {
      if (fusedOps[0] !== 'BiasAdd' || fusedOps.length > 2 || (fusedOps[1] !== undefined && fusedOps[1] !== 'Relu' && fusedOps[1] !== 'Relu6')) {
        throw new UnsupportedError(OP, node.name, `node '${node.name}': fused ops ${describeValue(fusedOps)} do not run (BiasAdd then optionally Relu or Relu6)`);
      }
      bias = constant(node.input[2] ?? '', node, 'bias');
      if (fusedOps[1]) activation = fusedOps[1] === 'Relu6' ? 'relu6' : 'relu';
    }
    let last = node;
    const sole = (): GraphNode | undefined => {
      const next = consumers.get(last.name);
      return next?.length === 1 ? next[0] : undefined;
    };
    let next = sole();
    if (bias === undefined && next && next.op === 'BiasAdd') {
      bias = constant(next.input[1] ?? '', next, 'bias');
      absorbed.add(next.name);
      last = next;
      next = sole();
    }
    if (activation === 'linear' && next && (next.op === 'Relu' || next.op === 'Relu6')) {
      activation = next.op === 'Relu6' ? 'relu6' : 'relu';
      absorbed.add(next.name);
      last = next;
    }
    return { bias, activation, last };
  };
  const padding = (node: GraphNode): Padding => {
    const kind = attrString(node, 'padding') ?? 'VALID';
    if (kind !== 'SAME' && kind !== 'VALID' && kind !== 'EXPLICIT') {
      throw new UnsupportedError(OP, node.name, `node '${node.name}': padding must be 'SAME', 'VALID' or 'EXPLICIT', got ${describeValue(kind)}`);
    }
    if (attrString(node, 'data_format') !== undefined && attrString(node, 'data_format') !== 'NHWC') {
      throw new UnsupportedError(OP, node.name, `node '${node.name}': data format ${attrString(node, 'data_format')}; only NHWC runs`);
    }
    if (kind === 'EXPLICIT') {
      const p = attrInts(node, 'explicit_paddings') ?? [];
      return { top: p[2] ?? 0, bottom: p[3] ?? 0, left: p[4] ?? 0, right: p[5] ?? 0 };
    }
    const own: Padding = kind === 'SAME' ? 'same' : 'valid';
    if (pendingPad === undefined) return own;
    if (own !== 'valid') throw new UnsupportedError(OP, node.name, `node '${node.name}' pads SAME after a Pad`);
    const merged = pendingPad;
    pendingPad = undefined;
    return merged;
  };
  const pair = (values: number[] | undefined): [number, number] => [values?.[1] ?? 1, values?.[2] ?? 1];

  // One node lowered to layers; a builder's error is re-thrown naming the node.
  const lowerNode = (node: GraphNode): void => {
    if (absorbed.has(node.name)) return;
    const dataInputs = node.input.filter((i) => !i.startsWith('^'));
    const from = source(dataInputs[0] ?? '');
    if (node.op === 'Identity' && skipIdentities(byName, node)?.op === 'Const') return;
    if (node.op !== 'AddV2' && node.op !== 'Add' && produced.get(from) !== previous) {
      throw new UnsupportedError(OP, node.name, `node '${node.name}' (${node.op}) reads '${from}', not the node before it: only chains with residual adds run`);
    }
    const name = node.name;
    switch (node.op) {
      case 'Identity':
        produced.set(name, previous);
        break;
      case 'Pad': {
        const p = constant(dataInputs[1] ?? '', node, 'paddings').data;
        if (p.length !== 8 || p[0] !== 0 || p[1] !== 0 || p[6] !== 0 || p[7] !== 0) throw new UnsupportedError(OP, name, `node '${name}': only height/width padding runs`);
        pendingPad = { top: p[2]!, bottom: p[3]!, left: p[4]!, right: p[5]! };
        produced.set(name, previous);
        break;
      }
      case 'Conv2D':
      case '_FusedConv2D':
      case 'DepthwiseConv2dNative':
      case 'FusedDepthwiseConv2dNative': {
        const depthwise = node.op.includes('Depthwise');
        const filter = constant(dataInputs[1] ?? '', node, 'filter');
        const { bias, activation, last } = epilogue(node, attrStrings(node, 'fused_ops'));
        const [kh, kw, , out] = filter.shape as [number, number, number, number];
        const strides = pair(attrInts(node, 'strides'));
        const dilations = pair(attrInts(node, 'dilations'));
        const pad = padding(node);
        const common = { name, inputShape: shape, useBias: bias !== undefined, activation };
        const layer = depthwise
          ? depthwiseConv2dLayer({ ...common, kernelSize: [kh, kw], channelMultiplier: out, strides, dilations, padding: pad })
          : kh === 1 && kw === 1 && strides[0] === 1 && strides[1] === 1 && (pad === 'same' || pad === 'valid')
            ? pointwiseConv2dLayer({ ...common, outChannels: out })
            : conv2dLayer({ ...common, kernelSize: [kh, kw], outChannels: out, strides, dilations, padding: pad });
        weights.set(`${name}/${depthwise ? 'depthwise_kernel' : 'kernel'}`, filter);
        if (bias) weights.set(`${name}/bias`, bias);
        push(layer, node);
        produced.set(last.name, name);
        break;
      }
      case 'FusedBatchNorm':
      case 'FusedBatchNormV3': {
        push(batchNormLayer({ name, inputShape: shape, epsilon: attrNumber(node, 'epsilon') ?? 1e-3 }), node);
        const parts = ['gamma', 'beta', 'moving_mean', 'moving_variance'];
        parts.forEach((part, i) => weights.set(`${name}/${part}`, constant(dataInputs[i + 1] ?? '', node, part)));
        break;
      }
      case 'BiasAdd':
        throw new UnsupportedError(OP, name, `node '${name}': a BiasAdd that does not follow a convolution or MatMul does not run`);
      case 'Relu':
      case 'Relu6':
        push(activationLayer({ name, inputShape: shape, activation: node.op === 'Relu6' ? 'relu6' : 'relu' }), node);
        break;
      case 'Add':
      case 'AddV2': {
        const inputs = dataInputs.map((i) => produced.get(source(i)));
        if (inputs.length !== 2 || inputs.some((i) => i === undefined)) throw new UnsupportedError(OP, name, `node '${name}': an add must sum two earlier activations`);
        push(addLayer({ name, inputShape: shape, inputs: [inputs[0]!, inputs[1]!] }), node);
        break;
      }
      case 'Mean': {
        const axes = Array.from(constant(dataInputs[1] ?? '', node, 'reduction axes').data).sort();
        if (axes.length !== 2 || axes[0] !== 1 || axes[1] !== 2) throw new UnsupportedError(OP, name, `node '${name}': only a mean over height and width (axes 1, 2) runs`);
        const keepDims = (node.attr.keep_dims as { b?: boolean } | undefined)?.b === true;
        push(poolLayer({ name, inputShape: shape, mode: 'avg', global: true, keepDims }), node);
        break;
      }
      case 'AvgPool':
        push(poolLayer({ name, inputShape: shape, mode: 'avg', poolSize: pair(attrInts(node, 'ksize')), strides: pair(attrInts(node, 'strides')), padding: padding(node) }), node);
        break;
      case 'Reshape':
      case 'Squeeze': {
        const perExample = shape.slice(1).reduce((a, b) => a * b, 1);
        let target: number[];
        if (node.op === 'Reshape') {
          const requested = Array.from(constant(dataInputs[1] ?? '', node, 'shape').data).slice(1);
          const known = requested.filter((d) => d > 0).reduce((a, b) => a * b, 1);
          target = requested.map((d) => (d < 0 ? perExample / known : d));
        } else {
          const squeeze = attrInts(node, 'squeeze_dims') ?? [];
          target = shape.slice(1).filter((d, i) => !(squeeze.length === 0 ? d === 1 : squeeze.includes(i + 1)));
        }
        push(reshapeLayer({ name, inputShape: shape, targetShape: target }), node);
        break;
      }
      case 'MatMul':
      case '_FusedMatMul': {
        if ((node.attr.transpose_a as { b?: boolean } | undefined)?.b || (node.attr.transpose_b as { b?: boolean } | undefined)?.b) {
          throw new UnsupportedError(OP, name, `node '${name}': transposed MatMul does not run`);
        }
        const kernel = constant(dataInputs[1] ?? '', node, 'kernel');
        const { bias, activation, last } = epilogue(node, attrStrings(node, 'fused_ops'));
        weights.set(`${name}/kernel`, kernel);
        if (bias) weights.set(`${name}/bias`, bias);
        push(denseLayer({ name, inputShape: shape, units: kernel.shape[1]!, useBias: bias !== undefined, activation }), node);
        produced.set(last.name, name);
        break;
      }
      case 'Softmax':
        push(activationLayer({ name, inputShape: shape, activation: 'softmax' }), node);
        break;
      default:
        throw new UnsupportedError(OP, name, `node '${name}': op '${node.op}' does not run`);
    }
  };
  for (const node of order) {
    try {
      lowerNode(node);
    } catch (error) {
      throw errorAt(error, OP, node.name, `node '${node.name}' (${node.op})`);
    }
  }
  try {
    return { spec: modelSpec({ name: 'graph_model', inputName: input.name, inputShape, layers }), weights };
  } catch (error) {
    if (error instanceof SepconvError) throw new ValueError(OP, error.argument, `the nodes do not fit together: ${error.message}`);
    throw error;
  }
}
