import { DTypeError, HostTensor } from '@sepconv/tensor';
import type { NodeContext } from './node-context.js';
import { isFloatConstant, type OnnxConstant } from './onnx-constant.js';

/**
 * A constant used as a weight, as a float32 host tensor in ONNX's dimensions.
 * @throws DTypeError naming the node when it holds integers.
 */
export function floatTensor(ctx: NodeContext, constant: OnnxConstant, what: string): HostTensor {
  if (!isFloatConstant(constant)) {
    throw new DTypeError(
      ctx.state.op,
      ctx.nodeName,
      `${ctx.label}: ${what} must be a floating-point tensor (FLOAT, FLOAT16 or DOUBLE), got ${constant.dataType.toUpperCase()}`,
    );
  }
  return new HostTensor(constant.values as Float32Array, constant.dims);
}
