import { describeValue, SepconvError, UnsupportedError, ValueError } from '@sepconv/tensor';
import { modelSpec, type ModelInput } from '@sepconv/graph';
import { errorAt } from '../weights/error-at.js';
import type { LoadedModel } from '../weights/load-layers-model.js';
import { NodeContext, type LoweringState } from './node-context.js';
import { dataTypeName, decodeConstant } from './onnx-constant.js';
import { ONNX_OPERATORS, isOnnxOperator } from './onnx-operators.js';
import { decodeOnnxModel, int64, type OnnxGraphProto, type OnnxModelProto, type OnnxValueInfoProto } from './onnx-proto.js';
import { specShape, type OnnxValue } from './onnx-value.js';
import { UnsupportedOnnxOperatorsError, type UnsupportedOnnxNode } from './unsupported-onnx-operators-error.js';

/** Options of {@link loadOnnxModel}. */
export interface LoadOnnxModelOptions {
  /**
   * The layout the caller's rank-4 tensors use. `'nhwc'` (default): the model takes
   * `[batch, height, width, channels]` like every sepconv model. `'nchw'`: it takes
   * `[batch, channels, height, width]` as onnxruntime users pass it, and returns rank-4 outputs
   * NCHW too (the runtime transposes at the edges; layers run NHWC).
   */
  inputLayout?: 'nhwc' | 'nchw';
  /**
   * Height and width (one number for a square) where the graph input's are symbolic
   * (`dim_param`, as `torch.onnx.export(..., dynamic_axes=…)` writes them) or open. Must agree
   * with fixed sizes.
   */
  resolution?: number | readonly [number, number];
  /**
   * The batch the spec is built at where the input's batch is symbolic or open (default 1);
   * the model runs at whatever batch it is fed either way.
   */
  batch?: number;
}

const OP = 'loadOnnxModel';
/** The `ai.onnx` opsets whose operator definitions the lowerings follow. */
const MIN_OPSET = 9;
const MAX_OPSET = 21;
const FLOAT = 1;

/** The opset of ONNX's own domain (`''` or `'ai.onnx'`). */
function onnxOpset(model: OnnxModelProto): number {
  const entry = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (entry === undefined) throw new ValueError(OP, 'bytes', 'the model imports no ai.onnx opset (ModelProto.opset_import)');
  const opset = int64(OP, 'bytes', 'opset_import', entry.version);
  if (opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new UnsupportedError(
      OP,
      'bytes',
      `the model uses ai.onnx opset ${opset}; the reader follows opsets ${MIN_OPSET} to ${MAX_OPSET} (re-export with opset_version in that range)`,
    );
  }
  return opset;
}

function nodeName(graph: OnnxGraphProto, index: number): string {
  return graph.node[index]!.name || `#${index}`;
}

/** @throws UnsupportedOnnxOperatorsError listing every node of an operator the reader does not lower. */
function checkOperators(graph: OnnxGraphProto): void {
  const unsupported: UnsupportedOnnxNode[] = graph.node
    .map((node, index) => ({ node: nodeName(graph, index), opType: node.opType, domain: node.domain }))
    .filter((n) => (n.domain !== '' && n.domain !== 'ai.onnx') || !isOnnxOperator(n.opType));
  if (unsupported.length > 0) throw new UnsupportedOnnxOperatorsError(OP, unsupported, Object.keys(ONNX_OPERATORS));
}

function checkOptions(options: LoadOnnxModelOptions): { layout: 'nhwc' | 'nchw'; resolution?: readonly [number, number]; batch?: number } {
  if (typeof options !== 'object' || options === null)
    throw new ValueError(OP, 'options', `options must be an object, got ${describeValue(options)}`);
  const layout = options.inputLayout ?? 'nhwc';
  if (layout !== 'nhwc' && layout !== 'nchw')
    throw new ValueError(OP, 'options.inputLayout', `options.inputLayout must be 'nhwc' or 'nchw', got ${describeValue(options.inputLayout)}`);
  const positive = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
  const r = options.resolution;
  const resolution =
    r === undefined
      ? undefined
      : typeof r === 'number'
        ? ([r, r] as const)
        : Array.isArray(r) && r.length === 2
          ? ([r[0], r[1]] as const)
          : undefined;
  if (r !== undefined && (resolution === undefined || !resolution.every(positive))) {
    throw new ValueError(OP, 'options.resolution', `options.resolution must be a positive integer or [height, width], got ${describeValue(r)}`);
  }
  if (options.batch !== undefined && !positive(options.batch))
    throw new ValueError(OP, 'options.batch', `options.batch must be a positive integer, got ${describeValue(options.batch)}`);
  return { layout, ...(resolution ? { resolution } : {}), ...(options.batch ? { batch: options.batch } : {}) };
}

interface InputDims {
  readonly dims: number[];
  readonly batchSymbolic: boolean;
}

/** A graph input's ONNX dimensions, the symbolic or open ones filled from the options. */
function inputDims(info: OnnxValueInfoProto, options: ReturnType<typeof checkOptions>): InputDims {
  const where = `graph input '${info.name}'`;
  const tensorType = info.type?.tensorType;
  if (tensorType == null) throw new UnsupportedError(OP, info.name, `${where} is not a tensor`);
  if (tensorType.elemType !== FLOAT)
    throw new UnsupportedError(OP, info.name, `${where} has element type ${dataTypeName(tensorType.elemType)}; only FLOAT inputs run`);
  const declared = tensorType.shape?.dim;
  if (declared == null || (declared.length !== 4 && declared.length !== 2)) {
    throw new UnsupportedError(
      OP,
      info.name,
      `${where} must be rank 4 [N, C, H, W] (an image) or rank 2 [N, F], got ${declared == null ? 'no shape' : `rank ${declared.length}`}`,
    );
  }
  const fixed = declared.map((d, i) => (Object.hasOwn(d, 'dimValue') ? int64(OP, info.name, `${where}: dim ${i}`, d.dimValue!) : undefined));
  const symbol = (i: number): string => (declared[i]!.dimParam ? `'${declared[i]!.dimParam}'` : 'an open size');
  const batchSymbolic = fixed[0] === undefined;
  const dims = [fixed[0] ?? options.batch ?? 1];
  for (let i = 1; i < declared.length; i++) {
    const spatial = declared.length === 4 && i >= 2 ? options.resolution?.[i - 2] : undefined;
    const size = fixed[i];
    if (size !== undefined && size < 1) throw new ValueError(OP, info.name, `${where}: dim ${i} is ${size}`);
    if (size !== undefined && spatial !== undefined && spatial !== size) {
      throw new ValueError(
        OP,
        'options.resolution',
        `${where} has a fixed ${i === 2 ? 'height' : 'width'} of ${size}, but options.resolution asks for ${spatial}`,
      );
    }
    const resolved = size ?? spatial;
    if (resolved === undefined) {
      const what =
        declared.length === 4 && i >= 2
          ? `${i === 2 ? 'height' : 'width'} ${symbol(i)}: pass options.resolution (the size to build the model at)`
          : `dimension ${i} ${symbol(i)}, which the reader needs fixed`;
      throw new ValueError(OP, declared.length === 4 && i >= 2 ? 'options.resolution' : info.name, `${where} has a symbolic ${what}`);
    }
    dims.push(resolved);
  }
  return { dims, batchSymbolic };
}

/**
 * Reads an ONNX model (the bytes of a `.onnx` file, e.g. from `torch.onnx.export`) into a
 * sepconv spec (a graph of NHWC layers) and its weights, converted once from ONNX's layouts
 * (OIHW → `[KH, KW, Cin, Cout]`, depthwise `[C·M, 1, KH, KW]` → `[KH, KW, C, M]`).
 * Operators of `ai.onnx` opsets 9 to 21: `Conv` (group 1 or depthwise), `BatchNormalization`,
 * `Relu`, `Clip` (as ReLU / ReLU6), `Max(x, 0)` and `Min(Relu(x), 6)` (ReLU, ReLU6), `HardSwish`,
 * `HardSigmoid`, `Sigmoid`, `Add`, `Sub`, `Mul`, `Div`, `GlobalAveragePool`, `GlobalMaxPool`, `AveragePool`, `MaxPool`, `ReduceMean` over height and
 * width, `Flatten`, `Reshape`,
 * `Gemm`, `MatMul`, `Concat`, `Pad`, `Identity`, `Dropout`, `Softmax`, `Constant` — graphs
 * without shape computations (no `Shape`). Constants are read from `raw_data` or the typed
 * fields. Give the spec to `instantiate(spec, backend, { weights })`.
 * @param bytes the whole `.onnx` file; weights in external files are not read.
 * @throws UnsupportedOnnxOperatorsError listing every node of an unsupported operator;
 * UnsupportedError / ValueError / ShapeError / DTypeError naming the node (its name is the
 * error's `argument`) for what does not run or does not fit, and `bytes` for a malformed file.
 */
export function loadOnnxModel(bytes: Uint8Array | ArrayBuffer, options: LoadOnnxModelOptions = {}): LoadedModel {
  const checked = checkOptions(options);
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer)) {
    throw new ValueError(OP, 'bytes', `bytes must be a Uint8Array or an ArrayBuffer (the .onnx file), got ${describeValue(bytes)}`);
  }
  const model = decodeOnnxModel(OP, bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  const graph = model.graph;
  if (graph == null || graph.node.length === 0)
    throw new ValueError(OP, 'bytes', 'the model has no graph, or a graph without nodes (is this an ONNX file?)');
  const opset = onnxOpset(model);
  checkOperators(graph);
  if (graph.sparseInitializer.length > 0)
    throw new UnsupportedError(OP, 'bytes', `the graph has ${graph.sparseInitializer.length} sparse initializer(s), which the reader does not read`);

  const values = new Map<string, OnnxValue>();
  for (const [index, initializer] of graph.initializer.entries()) {
    const where = `initializer '${initializer.name}'`;
    if (!initializer.name) throw new ValueError(OP, 'bytes', `initializer ${index} has no name`);
    values.set(initializer.name, { kind: 'constant', constant: decodeConstant(OP, initializer.name, where, initializer) });
  }
  const inputs: ModelInput[] = [];
  let batchSymbolic = false;
  let batch = checked.batch ?? 1;
  for (const info of graph.input) {
    if (values.has(info.name)) continue; // IR < 4 lists initializers among the inputs too
    const { dims, batchSymbolic: symbolic } = inputDims(info, checked);
    batchSymbolic ||= symbolic;
    batch = dims[0]!;
    inputs.push({ name: info.name, shape: specShape(dims) });
    values.set(info.name, { kind: 'activation', tensor: info.name, dims });
  }
  if (inputs.length === 0) throw new ValueError(OP, 'bytes', 'the graph has no input that is not an initializer');

  const consumers = new Map<string, number>();
  for (const name of [...graph.node.flatMap((n) => n.input), ...graph.output.map((o) => o.name)]) consumers.set(name, (consumers.get(name) ?? 0) + 1);
  const state: LoweringState = { op: OP, opset, batch, batchSymbolic, values, layers: [], weights: new Map(), consumers };
  graph.node.forEach((node, index) => {
    const ctx = new NodeContext(state, node, nodeName(graph, index));
    try {
      ONNX_OPERATORS[node.opType as keyof typeof ONNX_OPERATORS](ctx);
    } catch (error) {
      throw errorAt(error, OP, ctx.nodeName, ctx.label);
    }
  });

  const outputs = graph.output.map((info) => {
    const value = values.get(info.name);
    const where = `graph output '${info.name}'`;
    if (value === undefined) throw new ValueError(OP, info.name, `${where} is produced by no node`);
    if (value.kind !== 'activation' || inputs.some((i) => i.name === value.tensor)) {
      throw new UnsupportedError(
        OP,
        info.name,
        `${where} is ${value.kind === 'activation' ? 'a graph input' : 'a constant'}; only computed outputs run`,
      );
    }
    if (value.flattenedChw !== undefined)
      throw new UnsupportedError(
        OP,
        info.name,
        `${where} is a flattened [N, C·H·W] image, which sepconv holds in (h, w, c) order; end the graph with a layer that consumes it (Gemm)`,
      );
    return value.tensor;
  });
  try {
    return {
      spec: modelSpec({
        name: graph.name || 'onnx_model',
        inputs,
        outputs,
        layers: state.layers,
        ...(checked.layout === 'nchw' ? { layout: 'nchw' as const } : {}),
      }),
      weights: state.weights,
    };
  } catch (error) {
    if (error instanceof SepconvError) throw new ValueError(OP, error.argument, `the nodes do not fit together: ${error.message}`);
    throw error;
  }
}
