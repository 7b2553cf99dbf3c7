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

/**
 * Whether `chain` computes `hardSigmoid(x) = relu6(x + 3) / 6` from its input: one
 * `hardSigmoid` activation (PyTorch's `HardSigmoid` before opset 14), or an add of 3, a ReLU6
 * and a multiply by 1/6 or divide by 6 (Keras's `hard_sigmoid` inside `hard_swish`).
 */
function isHardSigmoid(builder: PlanBuilder, chain: readonly GraphLayer[]): boolean {
  const [first, second, third] = chain;
  if (chain.length === 1) return first!.type === 'activation' && first!.activation === 'hardSigmoid';
  if (chain.length !== 3 || second!.type !== 'activation' || second!.activation !== 'relu6') return false;
  if (first!.type !== 'add' || !near(scalarConstant(builder, first!), 3)) return false;
  return third!.type === 'mul' ? near(scalarConstant(builder, third!), 1 / 6) : third!.type === 'div' && near(scalarConstant(builder, third!), 6);
}

/**
 * The layers that compute `hardSwish(x) = x · hardSigmoid(x)` from tensor `name` the way
 * exporters spell it — `Mul(x, HardSigmoid(x))` (PyTorch before opset 14) or
 * `x · (relu6(x + 3) · 1/6)` (Keras's `hard_swish`, as TF.js and tf2onnx carry it) — when
 * nothing else reads `name` or the gate: the gate's layers, then the multiply. A convolution
 * producing `name` takes them as its hard-swish epilogue. `undefined` for anything else.
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
  return isHardSigmoid(builder, chain) ? [...chain, multiply] : undefined;
}
