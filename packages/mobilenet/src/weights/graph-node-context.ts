import { describeValue, UnsupportedError, ValueError, type HostTensor } from '@sepconv/tensor';
import type { LayerSpec } from '@sepconv/graph';
import { constantValue } from './graph-constant.js';
import { dataInputs, type GraphNode, type NodeRef } from './graph-node.js';
import type { SpecBuilder, TensorRef } from './spec-builder.js';
import type { WeightMap } from './weight-map.js';

const OP = 'loadGraphModel';

/** Ops that pass their input through unchanged: a reader of one reads the node behind it. */
export const ALIAS_OPS: ReadonlySet<string> = new Set(['Identity', 'StopGradient']);

/** The graph as a lowering sees it: nodes by name, constants from the weights manifest. */
export interface GraphIndex {
  readonly byName: ReadonlyMap<string, GraphNode>;
  readonly stored: WeightMap;
}

/**
 * What a lowering (one row of the op table) gets for its node: the node's tensor inputs and
 * constant inputs, and the spec builder to emit layers into. Errors name the node.
 */
export class GraphNodeContext {
  readonly name: string;
  readonly inputs: readonly NodeRef[];

  constructor(
    readonly node: GraphNode,
    readonly builder: SpecBuilder,
    private readonly graph: GraphIndex,
  ) {
    this.name = node.name;
    this.inputs = dataInputs(node);
  }

  /** Refuses this use of the op; the reason goes into the reader's one UnsupportedError. */
  refuse(reason: string): never {
    throw new UnsupportedError(OP, this.name, reason);
  }

  /** Data input `index`. @throws ValueError when the node has fewer inputs. */
  input(index: number): NodeRef {
    const ref = this.inputs[index];
    if (ref === undefined)
      throw new ValueError(
        OP,
        this.name,
        `node '${this.name}' (${this.node.op}) needs an input ${index}, but it has ${this.inputs.length} data inputs`,
      );
    return ref;
  }

  /** The node behind input `index`, past Identity and StopGradient nodes. */
  source(index: number): GraphNode {
    let node = this.graph.byName.get(this.input(index).node)!;
    // The walk stays in the graph's reachable part, which the reader checked for cycles; the bound is a second guard.
    for (let steps = 0; ALIAS_OPS.has(node.op) && steps < this.graph.byName.size; steps++) {
      const next = dataInputs(node)[0];
      if (next === undefined) break;
      node = this.graph.byName.get(next.node) ?? node;
    }
    return node;
  }

  isConstant(index: number): boolean {
    return this.source(index).op === 'Const';
  }

  /** Input `index` as a tensor of the spec. @throws UnsupportedError for a constant or another output than 0. */
  tensor(index: number): TensorRef {
    const ref = this.input(index);
    if (ref.output !== 0) this.refuse(`it reads output ${ref.output} of '${ref.node}'; sepconv runs only the first output of a node`);
    const tensor = this.builder.tensorOf(ref.node);
    if (tensor === undefined) this.refuse(`input ${index} ('${ref.node}') is a constant; sepconv runs this op only on computed tensors`);
    return tensor;
  }

  /** Input `index` as a constant (its `what` for messages). @throws UnsupportedError when it is computed. */
  constant(index: number, what: string): HostTensor {
    const source = this.source(index);
    const value = source.op === 'Const' ? constantValue(source, this.graph.stored) : undefined;
    if (value === undefined) {
      if (source.op === 'Const')
        throw new ValueError(OP, this.name, `node '${this.name}': its ${what} '${source.name}' has no value in the weights manifest or the node`);
      this.refuse(`its ${what} must be a constant, got the computed tensor '${this.input(index).node}'`);
    }
    return value;
  }

  /** A constant of integers (axes, sizes, paddings), checked. */
  integers(index: number, what: string): number[] {
    const values = Array.from(this.constant(index, what).data);
    if (!values.every(Number.isSafeInteger))
      throw new ValueError(OP, this.name, `node '${this.name}': its ${what} must be integers, got ${describeValue(values)}`);
    return values;
  }

  /** Emits a layer with its weights (`{ kernel }` → `<layer>/kernel`). */
  emit(layer: LayerSpec, weights: Readonly<Record<string, HostTensor | undefined>> = {}): TensorRef {
    return this.builder.emit(layer, weights);
  }

  /** Binds this node to the tensor it produces; `consumed` 1 when the node read that tensor itself (an alias, a fold). */
  produces(tensor: TensorRef, consumed = 0): void {
    this.builder.bind(this.name, tensor.name, consumed);
  }
}
