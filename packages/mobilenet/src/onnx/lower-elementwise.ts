import { formatShape, HostTensor } from '@sepconv/tensor';
import { elementwiseLayer, type ElementwiseOp } from '@sepconv/graph';
import type { NodeContext } from './node-context.js';
import { isFloatConstant, type OnnxConstant } from './onnx-constant.js';
import { chwIndexOfHwc, specShape, type OnnxActivation } from './onnx-value.js';

/** NumPy / ONNX broadcasting of two shapes, or undefined when they do not broadcast. */
export function broadcastDims(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(da === 1 ? db : da);
  }
  return out;
}

const APPLY: Readonly<Record<ElementwiseOp, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
};

/** `a op b` on two constants, broadcast, computed at load (in float64, stored as the inputs' kind). */
function foldConstants(ctx: NodeContext, op: ElementwiseOp, a: OnnxConstant, b: OnnxConstant): OnnxConstant {
  const dims = broadcastDims(a.dims, b.dims);
  if (dims === undefined) throw ctx.shapeError(`A ${formatShape(a.dims)} and B ${formatShape(b.dims)} do not broadcast`);
  const size = dims.reduce((x, y) => x * y, 1);
  const float = isFloatConstant(a) || isFloatConstant(b);
  const values = float ? new Float32Array(size) : new Float64Array(size);
  const indexIn = (c: OnnxConstant, flat: number): number => {
    let index = 0;
    let stride = 1;
    let rest = flat;
    for (let axis = dims.length - 1; axis >= 0; axis--) {
      const coordinate = rest % dims[axis]!;
      rest = Math.floor(rest / dims[axis]!);
      const own = c.dims.length - dims.length + axis;
      if (own < 0) continue;
      if (c.dims[own] !== 1) index += coordinate * stride;
      stride *= c.dims[own]!;
    }
    return index;
  };
  for (let i = 0; i < size; i++) {
    const value = APPLY[op](a.values[indexIn(a, i)]!, b.values[indexIn(b, i)]!);
    values[i] = float ? value : Math.trunc(value);
  }
  return { dims, dataType: float ? 'float' : a.dataType, values };
}

/**
 * A constant operand in the layout sepconv holds `x` in: padded to `x`'s rank, NCHW → NHWC for
 * an image (`[1, C, 1, 1]` → `[C]`), features permuted for a flattened image; reduced to `[]`
 * when it is one value and to `[C]` when it varies only along the channels.
 */
function constantFor(ctx: NodeContext, x: OnnxActivation, c: OnnxConstant): HostTensor {
  if (!isFloatConstant(c)) throw ctx.valueError(`the constant operand must be floating-point, got ${c.dataType.toUpperCase()}`);
  const rank = x.dims.length;
  if (c.dims.length > rank) throw ctx.unsupported(`the constant ${formatShape(c.dims)} has a higher rank than the activation ${formatShape(x.dims)}`);
  const dims = [...Array<number>(rank - c.dims.length).fill(1), ...c.dims];
  const out = broadcastDims(x.dims, dims);
  if (out === undefined || formatShape(out) !== formatShape(x.dims)) {
    throw ctx.unsupported(
      `the constant ${formatShape(c.dims)} ${out === undefined ? 'does not broadcast to' : 'would enlarge'} the activation ${formatShape(x.dims)}`,
    );
  }
  if (dims[0] !== 1) throw ctx.unsupported(`the constant ${formatShape(c.dims)} varies along the batch axis, which the model runs at any size`);
  const values = c.values as Float32Array;
  if (values.length === 1) return new HostTensor(new Float32Array(values), []);
  if (rank === 4) {
    const [, channels, height, width] = dims as [number, number, number, number];
    if (height === 1 && width === 1) return new HostTensor(new Float32Array(values), [channels]);
    const nhwc = new Float32Array(values.length);
    for (let k = 0; k < channels; k++)
      for (let y = 0; y < height; y++) for (let i = 0; i < width; i++) nhwc[(y * width + i) * channels + k] = values[(k * height + y) * width + i]!;
    return new HostTensor(nhwc, [1, height, width, channels]);
  }
  if (x.flattenedChw !== undefined) {
    if (rank !== 2) throw ctx.unsupported(`a constant beside a flattened image of rank ${rank}`);
    const index = chwIndexOfHwc(x.flattenedChw);
    return new HostTensor(
      Float32Array.from(index, (i) => values[i]!),
      [index.length],
    );
  }
  return new HostTensor(new Float32Array(values), dims.slice(1).every((d, i) => i === dims.length - 2 || d === 1) ? [dims[rank - 1]!] : dims);
}

/**
 * `Add`, `Sub`, `Mul`, `Div` with ONNX broadcasting: two activations (the residual add, SE's
 * `[N, C, H, W] × [N, C, 1, 1]`), an activation and a constant on either side (converted to
 * sepconv's layout once), or two constants (computed at load).
 */
function lowerElementwise(op: ElementwiseOp): (ctx: NodeContext) => void {
  return (ctx) => {
    const [a, b] = [ctx.input(0), ctx.input(1)];
    if (a === undefined || b === undefined) throw ctx.valueError('needs two inputs, A and B');
    if (a.kind === 'constant' && b.kind === 'constant') {
      ctx.output({ kind: 'constant', constant: foldConstants(ctx, op, a.constant, b.constant) });
      return;
    }
    const name = ctx.layerName();
    if (a.kind === 'activation' && b.kind === 'activation') {
      if (a.dims.length !== b.dims.length) throw ctx.unsupported(`activations of different ranks ${formatShape(a.dims)} and ${formatShape(b.dims)}`);
      if (a.flattenedChw !== b.flattenedChw && (a.flattenedChw !== undefined || b.flattenedChw !== undefined)) {
        throw ctx.unsupported('an operand is a flattened image whose features sepconv holds in another order');
      }
      const dims = broadcastDims(a.dims, b.dims);
      if (dims === undefined) throw ctx.shapeError(`A ${formatShape(a.dims)} and B ${formatShape(b.dims)} do not broadcast`);
      const layer = elementwiseLayer({ op, name, inputs: [a.tensor, b.tensor], inputShapes: [specShape(a.dims), specShape(b.dims)] });
      ctx.output({ ...ctx.emit(layer, dims), ...(a.flattenedChw ? { flattenedChw: a.flattenedChw } : {}) });
      return;
    }
    const [x, c, side] =
      a.kind === 'activation'
        ? [a, (b as { constant: OnnxConstant }).constant, 'right' as const]
        : [b as OnnxActivation, a.constant, 'left' as const];
    const constant = constantFor(ctx, x, c);
    const layer = elementwiseLayer({ op, name, inputs: [x.tensor], inputShape: specShape(x.dims), constant: { shape: constant.shape, side } });
    ctx.output({ ...ctx.emit(layer, x.dims, { constant }), ...(x.flattenedChw ? { flattenedChw: x.flattenedChw } : {}) });
  };
}

export const lowerAdd = lowerElementwise('add');
export const lowerSub = lowerElementwise('sub');
export const lowerMul = lowerElementwise('mul');
export const lowerDiv = lowerElementwise('div');
