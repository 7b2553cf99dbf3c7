import { formatShape, HostTensor, ShapeError, UnsupportedError, ValueError } from '@sepconv/tensor';
import type { LayerSpec } from '@sepconv/graph';
import { OnnxAttributes } from './onnx-attributes.js';
import type { OnnxConstant } from './onnx-constant.js';
import type { OnnxNodeProto } from './onnx-proto.js';
import { specShape, type OnnxActivation, type OnnxValue } from './onnx-value.js';

/** What the lowerings of a whole graph share: values by ONNX name, and the spec being built. */
export interface LoweringState {
  readonly op: string;
  /** The `ai.onnx` opset the model imports. */
  readonly opset: number;
  /** The batch the spec is built at (the model runs at any batch). */
  readonly batch: number;
  /** Whether a graph input declares its batch symbolically (`dim_param`) or leaves it open. */
  readonly batchSymbolic: boolean;
  readonly values: Map<string, OnnxValue>;
  readonly layers: LayerSpec[];
  readonly weights: Map<string, HostTensor>;
  /** How many times each tensor is read: by nodes' inputs, and once per graph output. */
  readonly consumers: ReadonlyMap<string, number>;
}

/**
 * One node being lowered: its inputs as activations or constants, its attributes, and the
 * calls that add layers and define its outputs. Errors name the node
 * (`node 'Conv_3' (Conv): …`), with the node's name as the error's argument.
 */
export class NodeContext {
  readonly attributes: OnnxAttributes;
  readonly label: string;
  constructor(
    readonly state: LoweringState,
    readonly node: OnnxNodeProto,
    readonly nodeName: string,
  ) {
    this.label = `node '${nodeName}' (${node.opType})`;
    this.attributes = new OnnxAttributes(state.op, node, this.label);
  }

  get opset(): number {
    return this.state.opset;
  }

  /** Input `index`, or undefined when the node leaves it out (absent, or an empty name). */
  input(index: number): OnnxValue | undefined {
    const name = this.node.input[index];
    if (name === undefined || name === '') return undefined;
    const value = this.state.values.get(name);
    if (value === undefined) throw this.valueError(`input ${index} '${name}' is produced by no earlier node, initializer or graph input`);
    return value;
  }

  /** Input `index`, which must be an activation (computed at run time). */
  activation(index: number, what: string): OnnxActivation {
    const value = this.input(index);
    if (value === undefined) throw this.valueError(`input ${index} (${what}) is missing`);
    if (value.kind !== 'activation')
      throw this.unsupported(`input ${index} (${what}) is a constant; the reader runs this operator on activations only`);
    return value;
  }

  /** Input `index` as a constant, or undefined when absent. @throws when it is computed at run time. */
  constant(index: number, what: string): OnnxConstant | undefined {
    const value = this.input(index);
    if (value === undefined) return undefined;
    if (value.kind !== 'constant') {
      throw this.unsupported(
        `input ${index} (${what}) is computed at run time ('${this.node.input[index]}'); the reader needs it to be an initializer or a Constant`,
      );
    }
    return value.constant;
  }

  /** Like {@link NodeContext.constant}, but required. */
  requiredConstant(index: number, what: string): OnnxConstant {
    const constant = this.constant(index, what);
    if (constant === undefined) throw this.valueError(`input ${index} (${what}) is missing`);
    return constant;
  }

  /**
   * The name of the next layer this node adds: the node's first output (ONNX tensor names are
   * unique, so layer names are, and a graph output keeps its ONNX name), with a `/part`
   * suffix for the helper layers of a node that lowers to several.
   */
  layerName(part?: string): string {
    const base = this.node.output[0] || this.nodeName;
    return part === undefined ? base : `${base}/${part}`;
  }

  /**
   * Adds a layer (built by a `@sepconv/graph` builder, which has checked it) and its weights
   * (by weight name within the layer), and returns its output as an activation with ONNX
   * dimensions `dims`.
   */
  emit(layer: LayerSpec, dims: readonly number[], weights: Readonly<Record<string, HostTensor>> = {}): OnnxActivation {
    const expected = specShape(dims);
    if (formatShape(expected) !== formatShape(layer.outputShape)) {
      throw new ShapeError(
        this.state.op,
        this.nodeName,
        `${this.label}: lowered to a layer of output ${formatShape(layer.outputShape)}, expected ${formatShape(expected)} (internal)`,
      );
    }
    this.state.layers.push(layer);
    for (const [name, tensor] of Object.entries(weights)) this.state.weights.set(`${layer.name}/${name}`, tensor);
    return { kind: 'activation', tensor: layer.name, dims: [...dims] };
  }

  /** Defines output `index` of the node. */
  output(value: OnnxValue, index = 0): void {
    const name = this.node.output[index];
    if (name) this.state.values.set(name, value);
  }

  /** @throws (returns, for `throw`) an UnsupportedError naming the node. */
  unsupported(message: string): UnsupportedError {
    return new UnsupportedError(this.state.op, this.nodeName, `${this.label}: ${message}`);
  }

  valueError(message: string): ValueError {
    return new ValueError(this.state.op, this.nodeName, `${this.label}: ${message}`);
  }

  shapeError(message: string): ShapeError {
    return new ShapeError(this.state.op, this.nodeName, `${this.label}: ${message}`);
  }

  /** The node's outputs past `used` must not be read (e.g. a Dropout mask, MaxPool indices). */
  onlyOutputs(used: number): void {
    this.node.output.slice(used).forEach((name, i) => {
      if (name && this.state.consumers.has(name))
        throw this.unsupported(`output ${used + i} ('${name}') is read by the graph; the reader computes only the first ${used}`);
    });
  }

  /** An activation must be rank 4 (NCHW). */
  image(value: OnnxActivation, what = 'X'): readonly [number, number, number, number] {
    if (value.dims.length !== 4) throw this.unsupported(`${what} must be rank 4 [N, C, H, W], got ${formatShape(value.dims)}`);
    return value.dims as readonly [number, number, number, number];
  }
}
