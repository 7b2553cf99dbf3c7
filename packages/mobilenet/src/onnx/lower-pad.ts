import { formatShape } from '@sepconv/tensor';
import { padLayer } from '@sepconv/graph';
import type { NodeContext } from './node-context.js';
import { integerValues, scalarValue } from './onnx-constant.js';
import { specShape } from './onnx-value.js';

/**
 * The `[begin, end]` padding of each axis of a rank-`rank` tensor: `pads` as an attribute
 * before opset 11, as a constant input from 11 (with the optional `axes` input of opset 18).
 */
function axisPads(ctx: NodeContext, rank: number): [number, number][] {
  const pads =
    ctx.opset < 11 ? ctx.attributes.ints('pads') : integerValues(ctx.state.op, ctx.nodeName, `${ctx.label}: pads`, ctx.requiredConstant(1, 'pads'));
  if (pads === undefined) throw ctx.valueError('attribute pads is required');
  const axesInput = ctx.opset >= 18 ? ctx.constant(3, 'axes') : undefined;
  const axes =
    axesInput === undefined
      ? [...Array(rank).keys()]
      : integerValues(ctx.state.op, ctx.nodeName, `${ctx.label}: axes`, axesInput).map((a) => (a < 0 ? a + rank : a));
  if (pads.length !== 2 * axes.length || axes.some((a) => a < 0 || a >= rank)) {
    throw ctx.valueError(`pads [${pads.join(', ')}] must hold a begin and an end for each of the ${axes.length} axes`);
  }
  const result: [number, number][] = Array.from({ length: rank }, () => [0, 0]);
  axes.forEach((axis, i) => {
    result[axis] = [pads[i]!, pads[i + axes.length]!];
  });
  return result;
}

/** `Pad` in `constant` mode on the height and width of an image: a pad layer (negative pads, which crop, do not run). */
export function lowerPad(ctx: NodeContext): void {
  const x = ctx.activation(0, 'data');
  const [batch, channels, height, width] = ctx.image(x, 'data');
  const mode = ctx.attributes.string('mode', 'constant');
  if (mode !== 'constant') throw ctx.unsupported(`mode '${mode}' does not run; only 'constant'`);
  const [n, c, h, w] = axisPads(ctx, 4) as [[number, number], [number, number], [number, number], [number, number]];
  if (n.some((p) => p !== 0) || c.some((p) => p !== 0))
    throw ctx.unsupported(`pads on the batch or channel axis (${formatShape([...n, ...c])}) do not run; only height and width`);
  if ([...h, ...w].some((p) => p < 0)) throw ctx.unsupported('negative pads (cropping) do not run');
  const valueInput = ctx.opset < 11 ? undefined : ctx.constant(2, 'constant_value');
  const value =
    ctx.opset < 11
      ? ctx.attributes.float('value', 0)
      : valueInput === undefined
        ? 0
        : scalarValue(ctx.state.op, ctx.nodeName, `${ctx.label}: constant_value`, valueInput);
  if (h[0] + h[1] + w[0] + w[1] === 0) {
    ctx.output(x);
    return;
  }
  const layer = padLayer({
    name: ctx.layerName(),
    inputs: [x.tensor],
    inputShape: specShape(x.dims),
    padding: { top: h[0], bottom: h[1], left: w[0], right: w[1] },
    value,
  });
  ctx.output(ctx.emit(layer, [batch, channels, height + h[0] + h[1], width + w[0] + w[1]]));
}
