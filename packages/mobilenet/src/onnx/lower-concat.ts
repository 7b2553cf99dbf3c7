import { formatShape } from '@sepconv/tensor';
import { concatLayer } from '@sepconv/graph';
import type { NodeContext } from './node-context.js';
import { NCHW_TO_NHWC_AXIS, specShape } from './onnx-value.js';

/** `Concat` of activations along `axis` (ONNX's NCHW axis, moved to where sepconv holds it). */
export function lowerConcat(ctx: NodeContext): void {
  const xs = ctx.node.input.map((_, i) => ctx.activation(i, `inputs[${i}]`));
  const rank = xs[0]?.dims.length ?? 0;
  if (xs.length === 0 || xs.some((x) => x.dims.length !== rank || x.flattenedChw !== undefined)) {
    throw ctx.unsupported(`inputs ${xs.map((x) => formatShape(x.dims)).join(', ')}: only activations of one rank, not flattened images, concatenate`);
  }
  const requested = ctx.attributes.int('axis');
  if (requested === undefined) throw ctx.valueError('attribute axis is required');
  const axis = requested < 0 ? requested + rank : requested;
  if (axis <= 0 || axis >= rank) throw ctx.unsupported(`axis ${requested} of rank ${rank} does not run (not the batch axis)`);
  const layer = concatLayer({
    name: ctx.layerName(),
    inputs: xs.map((x) => x.tensor),
    inputShapes: xs.map((x) => specShape(x.dims)),
    axis: rank === 4 ? NCHW_TO_NHWC_AXIS[axis]! : axis,
  });
  const dims = [...xs[0]!.dims];
  dims[axis] = xs.reduce((total, x) => total + x.dims[axis]!, 0);
  ctx.output(ctx.emit(layer, dims));
}
