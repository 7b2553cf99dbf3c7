import {
  dequantizeValues,
  HostQuantizedTensor,
  outputShape,
  quantizeValues,
  type KernelTable,
  type QuantizedTensor,
  type QuantParams,
  type Tensor,
} from '@sepconv/tensor';
import { referenceQuantizedKernels, referenceRequantize } from '@sepconv/tensor/reference';
import type { CpuContext } from '../cpu-context.js';
import type { CpuQuantizedTensor } from '../cpu-quantized-tensor.js';
import type { CpuTensor } from '../cpu-tensor.js';
import { wasmInt8Add, wasmInt8AddLayout } from './wasm-int8-add.js';
import { wasmInt8Lookup } from './wasm-int8-lookup.js';
import { int8BroadcastLayout } from './int8-broadcast-layout.js';
import { wasmInt8Mul } from './wasm-int8-mul.js';
import { wasmInt8Quantize } from './wasm-int8-quantize.js';

/** Runs `compute` into a new int8 output tensor, which is freed again if the kernel throws. */
function intoInt8Output(
  ctx: CpuContext,
  op: string,
  shape: readonly number[],
  quantization: QuantParams,
  compute: (y: CpuQuantizedTensor) => void,
): CpuQuantizedTensor {
  const y = ctx.int8Output(op, shape, quantization);
  if (y.size === 0) return y;
  try {
    compute(y);
  } catch (error) {
    y.dispose();
    throw error;
  }
  return y;
}

/** `t` as a host int8 tensor over its data where it lies (no copy; valid until the heap's next allocation). */
function hostView(ctx: CpuContext, op: string, argument: string, t: QuantizedTensor): HostQuantizedTensor {
  return new HostQuantizedTensor(ctx.int8Data(op, argument, t), t.shape, t.quantization);
}

/** A binary op's inputs with `a` and `b` read as host tensors, for the reference kernel. */
function withHostOperands<T extends { readonly a: QuantizedTensor; readonly b: QuantizedTensor }>(ctx: CpuContext, op: string, inputs: T): T {
  return { ...inputs, a: hostView(ctx, op, 'a', inputs.a), b: hostView(ctx, op, 'b', inputs.b) };
}

/** A reference result copied into a new int8 tensor of this backend (allocated after the reference ran: allocation may detach the views it read). */
function resident(ctx: CpuContext, op: string, result: HostQuantizedTensor): CpuQuantizedTensor {
  return intoInt8Output(ctx, op, result.shape, result.quantization, (y) => y.view().set(result.data));
}

/**
 * The CPU backend's int8 kernels (part of its kernel table). The convolutions pick their variant
 * from `cpuQuantizedVariants` (`ctx.selectQuantized`: the forced one when it applies) and run it
 * into a new int8 tensor in the heap; `quantize`, `quantizedAdd` and `quantizedMul` (equal shapes,
 * a per-channel row, an SE gate, a scalar: `int8BroadcastLayout`) and `quantizedLookup` are
 * queued WebAssembly jobs, bit-exact with the reference; the other element-wise and
 * data-movement ops (dequantize, requantize, other broadcasts, pools, concat, pad, reshape)
 * run the reference loops of `@sepconv/tensor/reference` — the one host implementation of each —
 * over the heap's data.
 */
export const quantizedKernels = {
  quantizedConv2d: (ctx, inputs) => {
    const variant = ctx.selectQuantized('conv2d', inputs.geometry);
    return intoInt8Output(ctx, 'quantizedConv2d', outputShape(inputs.geometry), inputs.output, (y) => variant.run(ctx, variant, inputs, y));
  },
  quantizedDepthwiseConv2d: (ctx, inputs) => {
    const variant = ctx.selectQuantized('depthwiseConv2d', inputs.geometry);
    return intoInt8Output(ctx, 'quantizedDepthwiseConv2d', outputShape(inputs.geometry), inputs.output, (y) => variant.run(ctx, variant, inputs, y));
  },
  quantizedPointwiseConv2d: (ctx, inputs) => {
    const variant = ctx.selectQuantized('pointwiseConv2d', inputs.geometry);
    return intoInt8Output(ctx, 'quantizedPointwiseConv2d', outputShape(inputs.geometry), inputs.output, (y) => variant.run(ctx, variant, inputs, y));
  },
  quantizedSeparableConv2d: (ctx, inputs) => {
    const variant = ctx.selectQuantized('separableConv2d', inputs.geometry);
    return intoInt8Output(ctx, 'quantizedSeparableConv2d', outputShape(inputs.geometry.pointwise), inputs.output, (y) =>
      variant.run(ctx, variant, inputs, y),
    );
  },
  quantize: (ctx, { x, output }) => {
    const runtime = ctx.runtime;
    if (runtime) return intoInt8Output(ctx, 'quantize', x.shape, output, (y) => wasmInt8Quantize(ctx, runtime, x, output, y));
    ctx.hostData('quantize', 'x', x);
    return intoInt8Output(ctx, 'quantize', x.shape, output, (y) => quantizeValues(ctx.hostData('quantize', 'x', x), output, y.view()));
  },
  dequantize: (ctx, { x }) => {
    ctx.int8Data('dequantize', 'x', x);
    const y = ctx.output('dequantize', x.shape);
    try {
      dequantizeValues(ctx.int8Data('dequantize', 'x', x), x.quantization, y.view());
    } catch (error) {
      y.dispose();
      throw error;
    }
    return y;
  },
  requantize: (ctx, { x, output, requantization }) =>
    resident(ctx, 'requantize', new HostQuantizedTensor(referenceRequantize(ctx.int8Data('requantize', 'x', x), requantization), x.shape, output)),
  quantizedAdd: (ctx, inputs) => {
    const runtime = ctx.runtime;
    const layout = wasmInt8AddLayout(inputs.geometry, inputs.requantization.leftShift);
    if (runtime && layout) {
      return intoInt8Output(ctx, 'quantizedAdd', inputs.geometry.shape, inputs.output, (y) => wasmInt8Add(ctx, runtime, inputs, layout, y));
    }
    return resident(ctx, 'quantizedAdd', referenceQuantizedKernels.quantizedAdd(undefined, withHostOperands(ctx, 'quantizedAdd', inputs)));
  },
  quantizedMul: (ctx, inputs) => {
    const runtime = ctx.runtime;
    const layout = int8BroadcastLayout(inputs.geometry);
    if (runtime && layout)
      return intoInt8Output(ctx, 'quantizedMul', inputs.geometry.shape, inputs.output, (y) => wasmInt8Mul(ctx, runtime, inputs, layout, y));
    return resident(ctx, 'quantizedMul', referenceQuantizedKernels.quantizedMul(undefined, withHostOperands(ctx, 'quantizedMul', inputs)));
  },
  quantizedLookup: (ctx, inputs) => {
    const runtime = ctx.runtime;
    if (runtime) return intoInt8Output(ctx, 'quantizedLookup', inputs.x.shape, inputs.output, (y) => wasmInt8Lookup(ctx, runtime, inputs, y));
    return resident(
      ctx,
      'quantizedLookup',
      referenceQuantizedKernels.quantizedLookup(undefined, { ...inputs, x: hostView(ctx, 'quantizedLookup', 'x', inputs.x) }),
    );
  },
  quantizedPool2d: (ctx, inputs) =>
    resident(
      ctx,
      'quantizedPool2d',
      referenceQuantizedKernels.quantizedPool2d(undefined, { ...inputs, x: hostView(ctx, 'quantizedPool2d', 'x', inputs.x) }),
    ),
  quantizedGlobalPool2d: (ctx, inputs) =>
    resident(
      ctx,
      'quantizedGlobalPool2d',
      referenceQuantizedKernels.quantizedGlobalPool2d(undefined, { ...inputs, x: hostView(ctx, 'quantizedGlobalPool2d', 'x', inputs.x) }),
    ),
  quantizedConcat: (ctx, inputs) =>
    resident(
      ctx,
      'quantizedConcat',
      referenceQuantizedKernels.quantizedConcat(undefined, {
        ...inputs,
        xs: inputs.xs.map((x, i) => hostView(ctx, 'quantizedConcat', `xs[${i}]`, x)),
      }),
    ),
  quantizedPad: (ctx, inputs) =>
    resident(ctx, 'quantizedPad', referenceQuantizedKernels.quantizedPad(undefined, { ...inputs, x: hostView(ctx, 'quantizedPad', 'x', inputs.x) })),
  // A copy, not a view: the result and `x` are disposed independently.
  quantizedReshape: (ctx, { x, geometry, output }) =>
    intoInt8Output(ctx, 'quantizedReshape', geometry.shape, output, (y) => y.view().set(ctx.int8Data('quantizedReshape', 'x', x))),
} satisfies Partial<KernelTable<CpuContext, Tensor, CpuTensor>>;
