import { formatShape, HostTensor } from '@sepconv/tensor';
import { activationLayer, elementwiseLayer, type LayerActivation } from '@sepconv/graph';
import type { NodeContext } from './node-context.js';
import { scalarValue } from './onnx-constant.js';
import { specShape, type OnnxActivation } from './onnx-value.js';

/** Adds an activation layer on `x` and returns its output (same dims, same feature order). */
function activate(ctx: NodeContext, x: OnnxActivation, activation: LayerActivation, part?: string): OnnxActivation {
  const layer = activationLayer({ name: ctx.layerName(part), inputs: [x.tensor], inputShape: specShape(x.dims), activation });
  return { ...ctx.emit(layer, x.dims), ...(x.flattenedChw ? { flattenedChw: x.flattenedChw } : {}) };
}

/** A lowering of a one-input element-wise activation. */
function unary(activation: LayerActivation): (ctx: NodeContext) => void {
  return (ctx) => ctx.output(activate(ctx, ctx.activation(0, 'X'), activation));
}

export const lowerRelu = unary('relu');
export const lowerSigmoid = unary('sigmoid');
export const lowerHardSwish = unary('hardSwish');

/** float32's largest value: `Clip`'s default bounds in opsets before 11. */
const FLOAT_MAX = 3.4028234663852886e38;

/**
 * `Clip` as ReLU (`min 0`, no max) or ReLU6 (`min 0, max 6`), the two forms exporters write for
 * `nn.ReLU` / `nn.ReLU6`: bounds as attributes before opset 11, as optional constant inputs from
 * opset 11 (an empty name leaves one out).
 */
export function lowerClip(ctx: NodeContext): void {
  const x = ctx.activation(0, 'input');
  let min: number;
  let max: number;
  if (ctx.opset < 11) {
    min = ctx.attributes.float('min', -FLOAT_MAX);
    max = ctx.attributes.float('max', FLOAT_MAX);
  } else {
    const bound = (index: number, what: string, fallback: number): number => {
      const c = ctx.constant(index, what);
      return c === undefined ? fallback : scalarValue(ctx.state.op, ctx.nodeName, `${ctx.label}: ${what}`, c);
    };
    min = bound(1, 'min', -Infinity);
    max = bound(2, 'max', Infinity);
  }
  const unbounded = max >= FLOAT_MAX;
  if (min !== 0 || (max !== 6 && !unbounded)) {
    throw ctx.unsupported(`Clip(min ${min}, max ${max}) runs only as ReLU (min 0, no max) or ReLU6 (min 0, max 6)`);
  }
  ctx.output(activate(ctx, x, unbounded ? 'relu' : 'relu6'));
}

/** A two-input `Min` / `Max` of an activation and a one-value constant (either order): the activation and the value. */
function boundOperands(ctx: NodeContext): { x: OnnxActivation; bound: number } {
  const inputs = ctx.node.input.map((_, index) => ctx.input(index));
  const x = inputs.find((value) => value?.kind === 'activation');
  const c = inputs.find((value) => value?.kind === 'constant');
  if (inputs.length !== 2 || x?.kind !== 'activation' || c?.kind !== 'constant') {
    throw ctx.unsupported(`only an activation and a one-value constant run (the bounds of ReLU / ReLU6), got ${inputs.length} input(s)`);
  }
  return { x, bound: scalarValue(ctx.state.op, ctx.nodeName, `${ctx.label}: the constant operand`, c.constant) };
}

/** `Max(x, 0)`: ReLU (an exporter's spelling of ReLU6's lower bound). */
export function lowerMax(ctx: NodeContext): void {
  const { x, bound } = boundOperands(ctx);
  if (bound !== 0) throw ctx.unsupported(`Max(x, ${bound}) runs only as ReLU, Max(x, 0)`);
  ctx.output(activate(ctx, x, 'relu'));
}

/**
 * `Min(Relu(x), 6)`: ReLU6, as torch.onnx's dynamo exporter writes `F.relu6` (`Relu` then
 * `Min` with 6). The ReLU, read by nothing else, becomes the ReLU6, so one layer remains for
 * the convolution before it to fuse.
 */
export function lowerMin(ctx: NodeContext): void {
  const { x, bound } = boundOperands(ctx);
  const index = ctx.state.layers.findIndex((layer) => layer.name === x.tensor);
  const relu = ctx.state.layers[index];
  if (bound !== 6 || relu?.type !== 'activation' || relu.activation !== 'relu' || ctx.state.consumers.get(x.tensor) !== 1) {
    throw ctx.unsupported(`Min(x, ${bound}) runs only as ReLU6's upper bound, Min(Relu(x), 6) with the Relu read by nothing else`);
  }
  ctx.state.layers.splice(index, 1);
  ctx.output(activate(ctx, { ...x, tensor: relu.inputs![0]! }, 'relu6'));
}

/** Within float32 rounding of 1/6 and 1/2: PyTorch's `nn.Hardsigmoid` exports alpha ≈ 0.16666667, beta 0.5. */
const TOLERANCE = 1e-6;

/**
 * `HardSigmoid`: `max(0, min(1, alpha·x + beta))`. sepconv's `hardSigmoid` is the
 * alpha = 1/6, beta = 1/2 form (PyTorch's, Keras 3's); another alpha/beta (ONNX's default 0.2,
 * Keras 2's) is that layer after a multiply by `6·alpha` and an add of `6·beta − 3`, since
 * `clamp(αx + β, 0, 1) = relu6(6αx + 6β) / 6`.
 */
export function lowerHardSigmoid(ctx: NodeContext): void {
  let x = ctx.activation(0, 'X');
  const alpha = ctx.attributes.float('alpha', 0.2);
  const beta = ctx.attributes.float('beta', 0.5);
  if (Math.abs(alpha - 1 / 6) > TOLERANCE || Math.abs(beta - 0.5) > TOLERANCE) {
    const scalar = (value: number) => ({ constant: new HostTensor(new Float32Array([value]), []) });
    const steps = [
      ['mul', 6 * alpha],
      ['add', 6 * beta - 3],
    ] as const;
    for (const [op, value] of steps) {
      const layer = elementwiseLayer({ op, name: ctx.layerName(op), inputs: [x.tensor], inputShape: specShape(x.dims), constant: { shape: [] } });
      x = { ...ctx.emit(layer, x.dims, scalar(value)), ...(x.flattenedChw ? { flattenedChw: x.flattenedChw } : {}) };
    }
  }
  ctx.output(activate(ctx, x, 'hardSigmoid'));
}

/**
 * `Softmax` over the channels. Before opset 13 it flattens the axes from `axis` (default 1) on
 * and normalises over all of them; from 13 it normalises over the one axis `axis` (default −1).
 * Both run where that set of axes is what sepconv holds last: the features of `[N, F]`, or the
 * channels of `[N, C, H, W]` (with `H·W = 1` before opset 13).
 */
export function lowerSoftmax(ctx: NodeContext): void {
  const x = ctx.activation(0, 'input');
  const rank = x.dims.length;
  const requested = ctx.attributes.int('axis', ctx.opset < 13 ? 1 : -1);
  const axis = requested < 0 ? requested + rank : requested;
  const spatial = rank === 4 ? x.dims[2]! * x.dims[3]! : 1;
  const overChannels = ctx.opset < 13 ? axis === 1 && (rank === 2 || spatial === 1) : axis === 1 && (rank === 2 || rank === 4);
  if (!overChannels) {
    throw ctx.unsupported(
      `softmax over axis ${requested} of ${formatShape(x.dims)} (opset ${ctx.opset}) does not run; only over the features / channels (axis 1)`,
    );
  }
  ctx.output(activate(ctx, x, 'softmax'));
}
