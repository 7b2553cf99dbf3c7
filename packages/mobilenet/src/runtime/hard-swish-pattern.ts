import { sizeOf } from '@sepconv/tensor';
import type { GraphLayer } from '@sepconv/graph';
import type { PlanBuilder } from './plan-builder.js';

/** Within float32 rounding of the constants 3, 6 and 1/6 the exporters write. */
const TOLERANCE = 1e-6;

/** The one value of an element-wise layer's scalar constant operand (not the first operand), or undefined. */
function scalarConstant(builder: PlanBuilder, layer: GraphLayer): number | undefined {
  if (layer.type !== 'add' && layer.type !== 'mul' && layer.type !== 'div') return undefined;
  const constant = layer.constant;
  if (constant === undefined || sizeOf(constant.shape) !== 1 || (layer.type === 'div' && constant.side === 'left')) return undefined;
  return builder.weights.take(layer.name, 'constant', constant.shape).data[0];
}

const near = (value: number | undefined, target: number): boolean => value !== undefined && Math.abs(value - target) <= TOLERANCE * target;

/** Whether `[first, second]` computes `relu6(x + 3)`: an add of 3, then a ReLU6. */
function isShiftedRelu6(builder: PlanBuilder, [first, second]: readonly GraphLayer[]): boolean {
  if (first === undefined || second?.type !== 'activation' || second.activation !== 'relu6') return false;
  return first.type === 'add' && near(scalarConstant(builder, first), 3);
}

/** Whether `layer` divides by 6 (a multiply by 1/6 or a divide by 6). */
function isSixth(builder: PlanBuilder, layer: GraphLayer | undefined): boolean {
  if (layer === undefined) return false;
  return layer.type === 'mul' ? near(scalarConstant(builder, layer), 1 / 6) : layer.type === 'div' && near(scalarConstant(builder, layer), 6);
}

/**
 * Whether `chain` computes `hardSigmoid(x) = relu6(x + 3) / 6` from its input: one
 * `hardSigmoid` activation (PyTorch's `HardSigmoid` before opset 14), or an add of 3, a ReLU6
 * and a multiply by 1/6 or divide by 6 (Keras's `hard_sigmoid` inside `hard_swish`, and the
 * `h_sigmoid` module of PyTorch MobileNetV3 ports, `F.relu6(x + 3) / 6`).
 */
function isHardSigmoid(builder: PlanBuilder, chain: readonly GraphLayer[]): boolean {
  const [first, , third] = chain;
  if (chain.length === 1) return first!.type === 'activation' && first!.activation === 'hardSigmoid';
  return chain.length === 3 && isShiftedRelu6(builder, chain) && isSixth(builder, third);
}

/**
 * The layers that compute `hardSigmoid` of tensor `name` spelled as `relu6(x + 3) / 6`, each the
 * sole reader of the one before: the add, the ReLU6 and the scale. A convolution producing
 * `name` takes them as its hard-sigmoid epilogue (a squeeze-and-excitation gate written as
 * `h_sigmoid`), where folding the add into its bias would leave the scale a step of its own.
 * `undefined` for anything else.
 */
export function hardSigmoidLayers(builder: PlanBuilder, name: string): GraphLayer[] | undefined {
  const chain: GraphLayer[] = [];
  for (let tail = name; chain.length < 3;) {
    const next = builder.soleReader(tail);
    if (next === undefined) return undefined;
    chain.push(next);
    tail = next.name;
  }
  return isHardSigmoid(builder, chain) ? chain : undefined;
}

/**
 * The layers that compute `hardSwish(x) = x · hardSigmoid(x)` from tensor `name` the way
 * exporters spell it — `Mul(x, HardSigmoid(x))` (PyTorch before opset 14),
 * `x · (relu6(x + 3) · 1/6)` (Keras's `hard_swish`, as TF.js and tf2onnx carry it) or
 * `x · relu6(x + 3) / 6` (the `h_swish` module of PyTorch MobileNetV3 ports, the scale last) —
 * when nothing else reads `name` or the gate: the gate's layers, the multiply, and a trailing
 * scale. A convolution producing `name` takes them as its hard-swish epilogue. `undefined` for
 * anything else.
 */
export function hardSwishLayers(builder: PlanBuilder, name: string): GraphLayer[] | undefined {
  const readers = builder.readersOf(name);
  if (readers.length !== 2 || builder.isOutput(name)) return undefined;
  const multiply = readers.find((layer) => layer.type === 'mul' && layer.inputs.length === 2);
  const gateStart = readers.find((layer) => layer !== multiply);
  if (multiply === undefined || gateStart === undefined) return undefined;
  const gate = multiply.inputs[0] === name ? multiply.inputs[1]! : multiply.inputs[0]!;
  if (gate === name || !multiply.inputs.includes(name)) return undefined;
  const chain: GraphLayer[] = [];
  for (let layer: GraphLayer | undefined = gateStart; layer !== undefined && chain.length < 3;) {
    if (layer.inputs.length !== 1) return undefined;
    chain.push(layer);
    if (layer.name === gate) break;
    layer = builder.soleReader(layer.name);
  }
  const last = chain[chain.length - 1];
  if (last?.name !== gate || builder.isOutput(gate) || builder.readersOf(gate).length !== 1) return undefined;
  if (isHardSigmoid(builder, chain)) return [...chain, multiply];
  // x · relu6(x + 3), then / 6: the product's sole reader scales it.
  const scale = builder.soleReader(multiply.name);
  return chain.length === 2 && isShiftedRelu6(builder, chain) && isSixth(builder, scale) ? [...chain, multiply, scale!] : undefined;
}
