import { formatShape } from '@sepconv/tensor';
import { reshapeLayer } from '@sepconv/graph';
import type { NodeContext } from './node-context.js';
import { integerValues } from './onnx-constant.js';
import { specShape, type OnnxActivation } from './onnx-value.js';

/**
 * `[N, C, H, W]` → `[N, C·H·W]`. sepconv flattens its NHWC tensor in `(h, w, c)` order, which is
 * ONNX's `(c, h, w)` order only when `H·W = 1`; otherwise the result says so
 * (`flattenedChw`) and its consumer permutes its weights.
 */
function flattenImage(ctx: NodeContext, x: OnnxActivation): void {
  const [batch, channels, height, width] = x.dims as [number, number, number, number];
  const features = channels * height * width;
  const layer = reshapeLayer({ name: ctx.layerName(), inputs: [x.tensor], inputShape: specShape(x.dims), targetShape: [features] });
  const out = ctx.emit(layer, [batch, features]);
  ctx.output(height * width === 1 ? out : { ...out, flattenedChw: [channels, height, width] });
}

/** `Flatten` at axis 1 (the default), the form classifiers use: `[N, …]` → `[N, product]`. */
export function lowerFlatten(ctx: NodeContext): void {
  const x = ctx.activation(0, 'input');
  const requested = ctx.attributes.int('axis', 1);
  const axis = requested < 0 ? requested + x.dims.length : requested;
  if (axis !== 1) throw ctx.unsupported(`axis ${requested} of ${formatShape(x.dims)} does not run; only axis 1 (keep the batch, flatten the rest)`);
  if (x.dims.length === 4) flattenImage(ctx, x);
  else if (x.dims.length === 2) ctx.output(x);
  else throw ctx.unsupported(`input ${formatShape(x.dims)}: only [N, C, H, W] and [N, F] flatten`);
}

/**
 * `Reshape` with a constant shape (`0` copies the input's dimension unless `allowzero`, one `-1`
 * takes what is left). Runs where the batch stays first and the data keeps sepconv's order:
 * `[N, C, H, W]` → `[N, C·H·W]` (as `Flatten`), `[N, F]` → `[N, F, 1, 1]`, and no-op reshapes.
 */
export function lowerReshape(ctx: NodeContext): void {
  const x = ctx.activation(0, 'data');
  const requested = integerValues(ctx.state.op, ctx.nodeName, `${ctx.label}: shape`, ctx.requiredConstant(1, 'shape'));
  const allowZero = ctx.attributes.int('allowzero', 0) === 1;
  const known = requested.map((d, i) => (d === 0 && !allowZero ? x.dims[i] : d));
  if (known.some((d) => d === undefined || d < -1) || known.filter((d) => d === -1).length > 1) {
    throw ctx.valueError(`shape [${requested.join(', ')}] is not a valid target for ${formatShape(x.dims)}`);
  }
  const size = x.dims.reduce((a, b) => a * b, 1);
  const fixed = (known as number[]).filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const dims = (known as number[]).map((d) => (d === -1 ? size / fixed : d));
  if (dims.some((d) => !Number.isInteger(d) || d < 1) || dims.reduce((a, b) => a * b, 1) !== size) {
    throw ctx.shapeError(`shape [${requested.join(', ')}] does not hold the ${size} elements of ${formatShape(x.dims)}`);
  }
  if (dims[0] !== x.dims[0] || (requested[0]! > 0 && ctx.state.batchSymbolic)) {
    throw ctx.unsupported(
      `shape [${requested.join(', ')}] does not keep the batch axis first (as 0 or -1, the batch being symbolic), which the model runs at any size`,
    );
  }
  if (formatShape(dims) === formatShape(x.dims)) ctx.output(x);
  else if (x.dims.length === 4 && dims.length === 2) flattenImage(ctx, x);
  else if (x.dims.length === 2 && dims.length === 4 && dims[2] === 1 && dims[3] === 1 && x.flattenedChw === undefined) {
    const layer = reshapeLayer({ name: ctx.layerName(), inputs: [x.tensor], inputShape: x.dims, targetShape: [1, 1, dims[1]!] });
    ctx.output(ctx.emit(layer, dims));
  } else {
    throw ctx.unsupported(
      `${formatShape(x.dims)} → ${formatShape(dims)} does not run (sepconv holds images NHWC): only flattening [N, C, H, W] → [N, C·H·W], [N, F] → [N, F, 1, 1] and no-ops`,
    );
  }
}
