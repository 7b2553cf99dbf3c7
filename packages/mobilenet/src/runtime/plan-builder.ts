import { CONV_ACTIVATIONS, formatShape, ShapeError, UnsupportedError, type ConvActivation, type KernelName } from '@sepconv/tensor';
import { modelInput, type GraphLayer, type ModelSpec } from '@sepconv/graph';
import type { WeightMap } from '../weights/weight-map.js';
import { LayerWeights } from './layer-weights.js';
import type { PlanPort, PlanStep, Slot, SlotShape } from './model-plan.js';

export const OP = 'instantiate';

type Shape4 = readonly [number, number, number, number];

/** A step before its output slot is assigned. */
export type PendingStep = PlanStep extends infer S ? (S extends PlanStep ? Omit<S, 'output'> : never) : never;

/**
 * The state of one compilation: the values made so far (slots), which spec tensor each name
 * maps to, who reads each tensor, and the steps emitted. The lowerings and the folding read and
 * extend it; nothing here knows a layer kind.
 */
export class PlanBuilder {
  readonly weights: LayerWeights;
  readonly slots: SlotShape[] = [];
  readonly steps: PlanStep[] = [];
  readonly inputs: PlanPort[];
  private readonly slotOf = new Map<string, Slot>();
  private readonly readers = new Map<string, GraphLayer[]>();
  private readonly outputs: ReadonlySet<string>;
  /** Layers a lowering folded into an earlier step; the driver skips them. */
  readonly absorbed = new Set<string>();

  constructor(
    readonly spec: ModelSpec,
    weights: WeightMap,
    /** The activations a linear step may take as its epilogue (see `CompileOptions.epilogues`). */
    readonly epilogues: readonly ConvActivation[] = CONV_ACTIVATIONS,
    /** Global average pooling as a `globalPool` step (see `CompileOptions.globalPoolStep`). */
    readonly globalPoolStep = false,
    /** The convolutions a residual add may fold into (see `CompileOptions.residualOps`). */
    readonly residualOps: readonly KernelName[] = [],
  ) {
    this.weights = new LayerWeights(OP, weights);
    this.inputs = spec.inputs.map((input) => ({
      name: input.name,
      slot: this.newSlot({ logical: input.shape, physical: input.shape }, [input.name]),
    }));
    for (const layer of spec.layers) {
      for (const name of new Set(layer.inputs)) this.readers.set(name, [...(this.readers.get(name) ?? []), layer]);
    }
    this.outputs = new Set(spec.outputs);
    // A one-input model keeps the historical check: the image must be NHWC.
    if (spec.inputs.length === 1) {
      const input = modelInput(spec, OP);
      if (input.shape.length !== 4) {
        throw new UnsupportedError(
          OP,
          'spec.inputs',
          `the model input must be NHWC [batch, height, width, channels], got ${formatShape(input.shape)}`,
        );
      }
    }
  }

  /** The slot holding tensor `name`. */
  slot(name: string): Slot {
    return this.slotOf.get(name)!;
  }

  /** The slot of a layer's `index`-th input. */
  input(layer: GraphLayer, index = 0): Slot {
    return this.slot(layer.inputs[index]!);
  }

  shapeOf(slot: Slot): SlotShape {
    return this.slots[slot]!;
  }

  /**
   * The layer that alone reads tensor `name`, when `name` is no model output: the only layer a
   * step producing `name` may absorb (its batch norm, scale, activation).
   */
  soleReader(name: string): GraphLayer | undefined {
    const readers = this.readers.get(name) ?? [];
    if (this.outputs.has(name) || readers.length !== 1 || readers[0]!.inputs.length !== 1) return undefined;
    return readers[0];
  }

  /**
   * The residual add a step producing `name` may absorb: the one layer reading `name` (no model
   * output) is an `add` of two different tensors, the other already computed and held in the
   * same layout, so the step can take it as `options.residual`. Returns the add and the other
   * operand's slot.
   */
  residualReader(name: string, physical: readonly number[]): { add: GraphLayer; residual: Slot } | undefined {
    const readers = this.readers.get(name) ?? [];
    const add = readers[0];
    if (this.outputs.has(name) || readers.length !== 1 || add!.type !== 'add' || add!.inputs.length !== 2) return undefined;
    const other = add!.inputs[0] === name ? add!.inputs[1]! : add!.inputs[0]!;
    const residual = this.slotOf.get(other);
    if (other === name || residual === undefined) return undefined;
    const held = this.shapeOf(residual);
    const same = (a: readonly number[], b: readonly number[]): boolean => formatShape(a) === formatShape(b);
    if (!same(held.physical, physical) || !same(held.logical, add!.outputShape) || !same(physical, add!.outputShape)) return undefined;
    return { add: add!, residual };
  }

  /** Every layer that reads tensor `name`, in spec order. */
  readersOf(name: string): readonly GraphLayer[] {
    return this.readers.get(name) ?? [];
  }

  /** Whether tensor `name` is a model output (a step producing it must keep it). */
  isOutput(name: string): boolean {
    return this.outputs.has(name);
  }

  /** Appends a step, its output a new value named by every layer in `names`. */
  emit(step: PendingStep, shape: SlotShape, names: readonly string[] = step.layers): Slot {
    const output = this.newSlot(shape, names);
    this.steps.push({ ...step, output } as PlanStep);
    return output;
  }

  /** Makes `name` another name of an existing value (a layer folded away). */
  alias(name: string, slot: Slot): void {
    this.slotOf.set(name, slot);
  }

  /**
   * The NHWC tensor a layer's input is held as, checked against what the layer expects
   * (`[batch, 1, 1, C]` may stand for a `[batch, C]` after global pooling).
   * @throws UnsupportedError naming the layer when the layout does not fit.
   */
  physical4(layer: GraphLayer, index = 0): Shape4 {
    const { physical, logical } = this.shapeOf(this.input(layer, index));
    const expected = index === 0 ? layer.inputShape : 'inputShapes' in layer ? layer.inputShapes[index]! : layer.inputShape;
    const channels = expected[expected.length - 1];
    const fits =
      physical.length === 4 &&
      (expected.length === 4
        ? expected.every((d, i) => i === 0 || d === physical[i])
        : physical[1] === 1 && physical[2] === 1 && physical[3] === channels);
    if (!fits) {
      throw new UnsupportedError(
        OP,
        layer.name,
        `layer '${layer.name}' needs its input ${formatShape(expected)} laid out as NHWC, but it is held as ${formatShape(physical)} (logical ${formatShape(logical)})`,
      );
    }
    return physical as Shape4;
  }

  /** `shape` as rank-4 NHWC. @throws UnsupportedError naming the layer otherwise. */
  shape4(layer: string, shape: readonly number[]): Shape4 {
    if (shape.length !== 4) {
      throw new UnsupportedError(OP, layer, `layer '${layer}' must produce NHWC [batch, height, width, channels], got ${formatShape(shape)}`);
    }
    return shape as Shape4;
  }

  /** The plan's outputs, by the spec's output names. */
  outputPorts(): PlanPort[] {
    return this.spec.outputs.map((name) => ({ name, slot: this.slot(name) }));
  }

  /** @throws ShapeError naming the layer when two operands are held in layouts that do not line up. */
  assertSameLayout(layer: GraphLayer, a: Slot, b: Slot): void {
    const [pa, pb] = [this.shapeOf(a).physical, this.shapeOf(b).physical];
    if (pa.length !== pb.length) {
      throw new ShapeError(OP, layer.name, `layer '${layer.name}': inputs are held as ${formatShape(pa)} and ${formatShape(pb)}`);
    }
  }

  private newSlot(shape: SlotShape, names: readonly string[]): Slot {
    this.slots.push(shape);
    const slot = this.slots.length - 1;
    for (const name of names) this.slotOf.set(name, slot);
    return slot;
  }
}
