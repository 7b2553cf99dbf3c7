import { formatShape } from '@sepconv/tensor';
import { poolLayer, reshapeLayer } from '@sepconv/graph';
import type { NodeContext } from './node-context.js';
import { integerValues } from './onnx-constant.js';
import { lowerIdentity } from './lower-passthrough.js';

/** The opset from which `ReduceMean` takes `axes` as an input rather than an attribute. */
const AXES_INPUT_OPSET = 18;

/** `axes` as written: the attribute before opset 18, the optional constant input from 18. */
function requestedAxes(ctx: NodeContext): number[] | undefined {
  if (ctx.opset < AXES_INPUT_OPSET) return ctx.attributes.ints('axes');
  const axes = ctx.constant(1, 'axes');
  return axes === undefined ? undefined : integerValues(ctx.state.op, ctx.nodeName, `${ctx.label}: axes`, axes);
}

/**
 * `ReduceMean` over the spatial axes of an image (`axes` [2, 3], or [-2, -1]): global average
 * pooling, as `x.mean((2, 3), keepdim=True)` exports (the squeeze of timm's squeeze-and-excitation
 * blocks). `keepdims` 1 (the default) gives `[N, C, 1, 1]`, 0 gives `[N, C]` (the pooled vector
 * relabelled, as `Flatten` does). No `axes` reduces every axis, batch included, which does not
 * run; with `noop_with_empty_axes` 1 (opset 18) it is the identity.
 */
export function lowerReduceMean(ctx: NodeContext): void {
  const x = ctx.activation(0, 'data');
  const requested = requestedAxes(ctx);
  if (requested === undefined || requested.length === 0) {
    if (ctx.opset >= AXES_INPUT_OPSET && ctx.attributes.int('noop_with_empty_axes', 0) === 1) return lowerIdentity(ctx);
    throw ctx.unsupported(
      `without axes it averages every axis of ${formatShape(x.dims)}, batch included, which does not run; only the spatial axes [2, 3]`,
    );
  }
  const rank = x.dims.length;
  const axes = requested.map((axis) => (axis < 0 ? axis + rank : axis)).sort((a, b) => a - b);
  if (rank !== 4 || axes.length !== 2 || axes[0] !== 2 || axes[1] !== 3) {
    throw ctx.unsupported(
      `axes [${requested.join(', ')}] of ${formatShape(x.dims)} do not run; only the spatial axes [2, 3] of an image (global average pooling)`,
    );
  }
  const [batch, channels, height, width] = x.dims as [number, number, number, number];
  const keepDims = ctx.attributes.int('keepdims', 1) === 1;
  const pool = poolLayer({
    name: ctx.layerName(keepDims ? undefined : 'pool'),
    inputs: [x.tensor],
    inputShape: [batch, height, width, channels],
    mode: 'avg',
    global: true,
    keepDims: true,
  });
  const pooled = ctx.emit(pool, [batch, channels, 1, 1]);
  if (keepDims) return ctx.output(pooled);
  const flat = reshapeLayer({ name: ctx.layerName(), inputs: [pooled.tensor], inputShape: pool.outputShape, targetShape: [channels] });
  ctx.output(ctx.emit(flat, [batch, channels]));
}
