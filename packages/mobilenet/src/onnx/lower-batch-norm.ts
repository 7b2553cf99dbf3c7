import { formatShape } from '@sepconv/tensor';
import { batchNormLayer } from '@sepconv/graph';
import type { NodeContext } from './node-context.js';
import { floatTensor } from './onnx-float.js';
import { specShape } from './onnx-value.js';

const PARTS = [
  ['gamma', 'scale'],
  ['beta', 'B'],
  ['moving_mean', 'input_mean'],
  ['moving_variance', 'input_var'],
] as const;

/**
 * `BatchNormalization` (inference) over channels (axis 1 of ONNX's `[N, C, …]`), as a batch-norm
 * layer that `instantiate` folds into the convolution before it.
 */
export function lowerBatchNormalization(ctx: NodeContext): void {
  const x = ctx.activation(0, 'X');
  if (x.dims.length !== 4 && x.dims.length !== 2) throw ctx.unsupported(`X must be [N, C, H, W] or [N, C], got ${formatShape(x.dims)}`);
  if (x.flattenedChw !== undefined) throw ctx.unsupported('X is a flattened image whose features sepconv holds in another order');
  if (ctx.attributes.int('training_mode', 0) !== 0)
    throw ctx.unsupported('training_mode 1 (batch statistics) does not run; export the model in eval mode');
  ctx.onlyOutputs(1);
  const channels = x.dims[1]!;
  const weights = Object.fromEntries(
    PARTS.map(([name, onnxName], i) => {
      const t = floatTensor(ctx, ctx.requiredConstant(i + 1, onnxName), onnxName);
      if (t.shape.length !== 1 || t.shape[0] !== channels) throw ctx.shapeError(`${onnxName} must be [${channels}], got ${formatShape(t.shape)}`);
      return [name, t];
    }),
  );
  const layer = batchNormLayer({
    name: ctx.layerName(),
    inputs: [x.tensor],
    inputShape: specShape(x.dims),
    epsilon: ctx.attributes.float('epsilon', 1e-5),
  });
  ctx.output(ctx.emit(layer, x.dims, weights));
}
