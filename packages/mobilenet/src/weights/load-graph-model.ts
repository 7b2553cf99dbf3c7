import { describeValue, formatShape, UnsupportedError, ValueError } from '@sepconv/tensor';
import { checkWeightsManifest, decodeWeights } from './decode-weights.js';
import { graphLowering } from './graph-lowerings.js';
import { ALIAS_OPS, GraphNodeContext, type GraphIndex } from './graph-node-context.js';
import { dataInputs, graphNodes, isRecord, placeholderDims, type GraphNode } from './graph-node.js';
import type { LoadedModel } from './load-layers-model.js';
import { postOrder } from './post-order.js';
import { SpecBuilder } from './spec-builder.js';
import type { WeightData } from './weight-bytes.js';

/** Options of {@link loadGraphModel}. */
export interface LoadGraphModelOptions {
  /**
   * NHWC shape of the model input, needed where the graph leaves height or width open (a
   * Placeholder of `[-1, -1, -1, 3]`); its batch also sets the batch. It may also change a size
   * the graph fixes, where the graph's layers still fit. Default: the Placeholder's shape with
   * batch 1. For a graph of several inputs, give `inputShapes`.
   */
  inputShape?: readonly number[] | undefined;
  /** Shapes of several inputs, by Placeholder name; same rules as `inputShape`. */
  inputShapes?: Readonly<Record<string, readonly number[]>> | undefined;
}

const OP = 'loadGraphModel';

/** A model output: the name the file gives it (signature key or node name) and the node that computes it. */
interface GraphOutput {
  readonly name: string;
  readonly part: string;
}

/** The node a tensor name (`node:0`) refers to. */
function nodeOf(tensorName: string): string {
  return tensorName.replace(/:\d+$/, '');
}

/**
 * The model's signature (`signature`, or `userDefinedMetadata.signature` where older converters
 * put it): `{ inputs, outputs }` by key, each `{ name: 'node:0' }`; undefined without one.
 */
function signatureOf(modelJson: Record<string, unknown>): { inputs: [string, string][]; outputs: [string, string][] } | undefined {
  const signature = modelJson.signature ?? (isRecord(modelJson.userDefinedMetadata) ? modelJson.userDefinedMetadata.signature : undefined);
  if (signature === undefined) return undefined;
  const entries = (key: 'inputs' | 'outputs'): [string, string][] => {
    const group = isRecord(signature) ? (signature[key] ?? {}) : undefined;
    if (!isRecord(group))
      throw new ValueError(OP, `signature.${key}`, `the signature's ${key} must be an object of { name }, got ${describeValue(group)}`);
    return Object.entries(group).map(([k, info]) => {
      if (!isRecord(info) || typeof info.name !== 'string')
        throw new ValueError(OP, `signature.${key}`, `signature ${key} '${k}' must have a tensor name, got ${describeValue(info)}`);
      return [k, nodeOf(info.name)];
    });
  };
  return { inputs: entries('inputs'), outputs: entries('outputs') };
}

/** Nodes with no layer of their own and no reader that makes them an output. */
const NOT_OUTPUTS: ReadonlySet<string> = new Set(['Const', 'NoOp', 'Placeholder']);

/** The model outputs: the signature's, named by their keys; without one, the nodes nothing reads (sinks), by node name. */
function graphOutputs(nodes: readonly GraphNode[], byName: ReadonlyMap<string, GraphNode>, signature: ReturnType<typeof signatureOf>): GraphOutput[] {
  if (signature !== undefined && signature.outputs.length > 0) {
    return signature.outputs.map(([key, node]) => {
      if (!byName.has(node))
        throw new ValueError(OP, `signature.outputs`, `signature output '${key}' names node '${node}', which is not in the graph`);
      return { name: key, part: node };
    });
  }
  const read = new Set(nodes.flatMap((node) => dataInputs(node).map((ref) => ref.node)));
  const sinks = nodes.filter((node) => !read.has(node.name) && !NOT_OUTPUTS.has(node.op));
  if (sinks.length === 0)
    throw new ValueError(OP, 'modelTopology', 'the graph has no output: every node is read by another, or is a constant or an input');
  return sinks.map((node) => ({ name: node.name, part: node.name }));
}

/** The data inputs of a node by producing node, each checked to exist. */
function inputsOf(byName: ReadonlyMap<string, GraphNode>): (name: string) => string[] {
  return (name) =>
    dataInputs(byName.get(name)!).map((ref) => {
      if (!byName.has(ref.node)) throw new ValueError(OP, name, `node '${name}' reads '${ref.node}', which is not a node of the graph`);
      return ref.node;
    });
}

function cycleError(byName: ReadonlyMap<string, GraphNode>): (cycle: readonly string[]) => Error {
  return (cycle) => {
    const what = cycle.every((name) => ALIAS_OPS.has(byName.get(name)!.op)) ? 'Identity nodes' : 'nodes';
    const shown = cycle.length > 8 ? [...cycle.slice(0, 8), '…'] : [...cycle, cycle[0]!];
    return new ValueError(OP, cycle[0]!, `${what} form a cycle: ${shown.map((n) => (n === '…' ? n : `'${n}'`)).join(' -> ')}`);
  };
}

/** How many nodes of `order` read each node (one count per data input), plus one for each output. */
function readerCounts(order: readonly string[], byName: ReadonlyMap<string, GraphNode>, outputs: readonly GraphOutput[]): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (name: string): void => void counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const name of order) for (const ref of dataInputs(byName.get(name)!)) add(ref.node);
  for (const output of outputs) add(output.part);
  return counts;
}

/** The input shape of a Placeholder: its own, with the option's filling what it leaves open. */
function inputShape(node: GraphNode, given: readonly number[] | undefined): number[] {
  const dims = placeholderDims(node);
  if (given !== undefined) {
    if (!Array.isArray(given) || !given.every((d) => Number.isSafeInteger(d) && d >= 0) || (dims !== undefined && given.length !== dims.length)) {
      throw new ValueError(
        OP,
        'options.inputShape',
        `the shape of input '${node.name}' must be ${dims ? `${dims.length} non-negative integers` : 'non-negative integers'}, got ${describeValue(given)}`,
      );
    }
    // A size the graph fixes may be changed (a fully convolutional graph runs at any size); the layers check that their shapes still fit.
    return [...given];
  }
  if (dims === undefined || dims.slice(1).some((d) => d < 0)) {
    throw new UnsupportedError(
      OP,
      node.name,
      `input '${node.name}' has shape ${dims ? formatShape(dims) : 'of unknown rank'}: give its size in options.inputShape (e.g. [1, 224, 224, 3])`,
    );
  }
  return dims.map((d, i) => (i === 0 && d < 0 ? 1 : d));
}

/** The shape option for one input; `inputShape` is for a graph of one input. */
function givenShape(options: LoadGraphModelOptions, name: string, inputs: number): readonly number[] | undefined {
  const named = options.inputShapes !== undefined && Object.hasOwn(options.inputShapes, name) ? options.inputShapes[name] : undefined;
  if (options.inputShape !== undefined && inputs > 1) {
    throw new ValueError(OP, 'options.inputShape', `the graph has ${inputs} inputs: give their shapes by name in options.inputShapes`);
  }
  return named ?? options.inputShape;
}

/**
 * Reads a TensorFlow.js graph model (`format: 'graph-model'`, as `tensorflowjs_converter`
 * writes from a SavedModel or frozen graph) into a sepconv spec and weights. Any directed
 * acyclic graph runs whose nodes all have a lowering in the op table (`GRAPH_OPS`: convolutions
 * and their fused forms, BiasAdd, element-wise Add/Sub/Mul/RealDiv with a constant or a second
 * tensor, Relu/Relu6/Sigmoid/Softmax, Mean, AvgPool/MaxPool, ConcatV2, Pad/PadV2, Reshape,
 * Squeeze, MatMul, ResizeBilinear, FusedBatchNorm, Identity, …); only the nodes the outputs
 * need are read. Inputs are the Placeholders; outputs the `signature`'s (named by its keys),
 * else the nodes nothing reads (named by node). Layers are named after their nodes; weights
 * come from the manifest by `Const` node name, renamed to the spec's (`<node>/kernel`, …).
 * @throws UnsupportedError listing every node that does not run, grouped by op, e.g.
 * `2 nodes do not run: 'Elu' (node 'a'); 'MirrorPad' (node 'pad': mode 'REFLECT' …)`;
 * ValueError / ShapeError for malformed files, naming the node or file part.
 */
export function loadGraphModel(modelJson: unknown, weightData: WeightData, options: LoadGraphModelOptions = {}): LoadedModel {
  const nodes = graphNodes(modelJson);
  const file = modelJson as Record<string, unknown>;
  const stored = decodeWeights(
    OP,
    checkWeightsManifest(OP, file.weightsManifest, 'modelJson.weightsManifest').flatMap((g) => g.weights),
    weightData,
  );
  const byName = new Map<string, GraphNode>();
  for (const node of nodes) {
    if (byName.has(node.name)) throw new ValueError(OP, node.name, `two nodes are named '${node.name}'`);
    byName.set(node.name, node);
  }
  const signature = signatureOf(file);
  const outputs = graphOutputs(nodes, byName, signature);
  const order = postOrder(
    outputs.map((o) => o.part),
    inputsOf(byName),
    cycleError(byName),
  );
  const readers = readerCounts(order, byName, outputs);
  const builder = new SpecBuilder(OP, (part) => readers.get(part) ?? 0);
  const placeholders = order.map((name) => byName.get(name)!).filter((node) => node.op === 'Placeholder');
  if (placeholders.length === 0) throw new ValueError(OP, 'modelTopology', 'the outputs depend on no input (Placeholder)');
  const signatureOrder = signature?.inputs.map(([, node]) => node) ?? [];
  placeholders.sort((a, b) => (signatureOrder.indexOf(a.name) + 1 || Infinity) - (signatureOrder.indexOf(b.name) + 1 || Infinity));
  for (const node of placeholders) builder.addInput(node.name, inputShape(node, givenShape(options, node.name, placeholders.length)));

  const index: GraphIndex = { byName, stored };
  for (const name of order) {
    const node = byName.get(name)!;
    const reads = dataInputs(node).map((ref) => ref.node);
    if (builder.skips(name, reads)) continue;
    const lowering = graphLowering(node);
    if (lowering === undefined) builder.refuse({ kind: node.op, name });
    else builder.lower(name, node.op, `node '${name}' (${node.op})`, () => lowering(new GraphNodeContext(node, builder, index)));
  }
  return { spec: builder.finish('graph_model', 'node', outputs), weights: builder.weights };
}
