import {
  BackendError,
  quantizedKernelCallInputs,
  type QuantizedConvKernelInputs,
  type QuantizedKernelCall,
  type QuantizedSeparableKernelInputs,
} from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import { packedInt8ConvWeights, packedInt8Depthwise, packedInt8Gemm } from '../kernels/packed-int8-weights.js';
import { wasmInt8Conv2d } from '../kernels/wasm-int8-conv2d.js';
import { wasmInt8SeparableConv2d } from '../kernels/wasm-int8-separable-conv2d.js';

const OP = 'prepareQuantizedWeights';

/** The float op whose geometry each int8 convolution runs (the name dispatch selects its row by). */
const FLOAT_OP = {
  quantizedConv2d: 'conv2d',
  quantizedDepthwiseConv2d: 'depthwiseConv2d',
  quantizedPointwiseConv2d: 'pointwiseConv2d',
} as const;

/**
 * Packs the int8 weights `call` will read as the variant it will run on (the forced one, or
 * dispatch's) packs them in its first call: the same cache entries, so that call and every later
 * one find them packed. JavaScript rows read the weights as they are: nothing to do.
 * @throws the op's typed errors for an invalid call, as the call itself would throw them;
 * BackendError once the backend is disposed.
 */
export function prepareInt8Weights(ctx: CpuContext, call: QuantizedKernelCall): void {
  const inputs = quantizedKernelCallInputs(call, OP);
  if (ctx.isDisposed) throw new BackendError(OP, 'backend', 'this CPU backend has been disposed');
  if (call.op === 'quantizedSeparableConv2d') {
    const { depthwiseWeights, pointwiseWeights, geometry } = inputs as QuantizedSeparableKernelInputs;
    const row = ctx.selectQuantized('separableConv2d', geometry);
    // The fused kernel's two packings, also those of the block run as two calls.
    if (row.run === wasmInt8SeparableConv2d) {
      packedInt8Depthwise(ctx, OP, depthwiseWeights);
      packedInt8Gemm(ctx, OP, pointwiseWeights);
    }
    return;
  }
  const { weights, geometry } = inputs as QuantizedConvKernelInputs;
  const row = ctx.selectQuantized(FLOAT_OP[call.op], geometry);
  if (row.run === wasmInt8Conv2d && row.wasmKernel !== undefined) packedInt8ConvWeights(ctx, OP, { ...row, wasmKernel: row.wasmKernel }, weights);
}
