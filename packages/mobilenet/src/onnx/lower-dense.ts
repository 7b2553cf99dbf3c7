import { formatShape, HostTensor } from '@sepconv/tensor';
import { denseLayer } from '@sepconv/graph';
import type { NodeContext } from './node-context.js';
import { floatTensor } from './onnx-float.js';
import { chwIndexOfHwc, type OnnxActivation } from './onnx-value.js';

/**
 * The dense kernel `[inFeatures, units]` sepconv uses from ONNX's `B` (`[K, M]`, or `[M, K]`
 * with `transB`), scaled by `alpha`, its rows permuted when the input is a flattened image
 * held in `(h, w, c)` order.
 */
function denseKernel(ctx: NodeContext, x: OnnxActivation, b: HostTensor, transB: boolean, alpha: number): HostTensor {
  const features = x.dims[1]!;
  if (b.shape.length !== 2) throw ctx.shapeError(`B must be rank 2, got ${formatShape(b.shape)}`);
  const [k, units] = transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (k !== features)
    throw ctx.shapeError(`B ${formatShape(b.shape)}${transB ? ' (transB)' : ''} must take the input's ${features} features, got ${k}`);
  const rowOf = x.flattenedChw === undefined ? undefined : chwIndexOfHwc(x.flattenedChw);
  const kernel = new Float32Array(features * units);
  for (let row = 0; row < features; row++) {
    const source = rowOf === undefined ? row : rowOf[row]!;
    for (let unit = 0; unit < units; unit++) kernel[row * units + unit] = alpha * b.data[transB ? unit * features + source : source * units + unit]!;
  }
  return new HostTensor(kernel, [features, units]);
}

function matrixInput(ctx: NodeContext): OnnxActivation {
  const x = ctx.activation(0, 'A');
  if (x.dims.length !== 2) throw ctx.unsupported(`A must be [N, K] (flatten an image first), got ${formatShape(x.dims)}`);
  return x;
}

/**
 * `Gemm`: `alpha · A · op(B) + beta · C` with `A` the activation `[N, K]` (not transposed), `B`
 * a constant, `C` an optional constant broadcast along the batch (`[]`, `[M]` or `[1, M]`) —
 * PyTorch's `nn.Linear`. A dense layer with the bias `beta · C`.
 */
export function lowerGemm(ctx: NodeContext): void {
  const x = matrixInput(ctx);
  if (ctx.attributes.int('transA', 0) !== 0) throw ctx.unsupported('transA 1 (a transposed activation) does not run');
  const kernel = denseKernel(
    ctx,
    x,
    floatTensor(ctx, ctx.requiredConstant(1, 'B'), 'B'),
    ctx.attributes.int('transB', 0) === 1,
    ctx.attributes.float('alpha', 1),
  );
  const units = kernel.shape[1]!;
  const c = ctx.constant(2, 'C');
  let bias: HostTensor | undefined;
  if (c !== undefined) {
    const t = floatTensor(ctx, c, 'C');
    const perUnit = t.size === units && t.shape.every((d, i) => i === t.shape.length - 1 || d === 1);
    if (!(t.size === 1 || perUnit))
      throw ctx.unsupported(`C ${formatShape(t.shape)} must be a scalar or [${units}] (one bias per unit, the same for every example)`);
    const beta = ctx.attributes.float('beta', 1);
    bias = new HostTensor(
      Float32Array.from({ length: units }, (_, i) => beta * t.data[t.size === 1 ? 0 : i]!),
      [units],
    );
  }
  const layer = denseLayer({ name: ctx.layerName(), inputs: [x.tensor], inputShape: x.dims, units, useBias: bias !== undefined });
  ctx.output(ctx.emit(layer, [x.dims[0]!, units], bias === undefined ? { kernel } : { kernel, bias }));
}

/** `MatMul` of the activation `[N, K]` by a constant `[K, M]`: a dense layer without bias. */
export function lowerMatMul(ctx: NodeContext): void {
  const x = matrixInput(ctx);
  const kernel = denseKernel(ctx, x, floatTensor(ctx, ctx.requiredConstant(1, 'B'), 'B'), false, 1);
  const layer = denseLayer({ name: ctx.layerName(), inputs: [x.tensor], inputShape: x.dims, units: kernel.shape[1]! });
  ctx.output(ctx.emit(layer, [x.dims[0]!, kernel.shape[1]!], { kernel }));
}
