import {
  isHostTensor,
  outputShape,
  selectVariant,
  UnsupportedError,
  ValueError,
  type Conv2dGeometry,
  type KernelTable,
  type QuantizedAddKernelInputs,
  type QuantizedConvKernelInputs,
  type QuantizedTensor,
  type QuantParams,
  type Tensor,
} from '@sepconv/tensor';
import type { GpuProgram } from './gpu-program.js';
import type { GpuQuantizedTensor } from './gpu-quantized-tensor.js';
import { gpuLookupTable } from './gpu-lookup-table.js';
import { gpuQuantizedWeights } from './gpu-quantized-weights.js';
import type { GpuTensor } from './gpu-tensor.js';
import { allocateInt8, bindAllInt8, checkInt8BufferSize, releaseTemporary, type BoundBuffer } from './int8-buffers.js';
import { dequantizeProgram } from './programs/dequantize-qs8.js';
import { QUANTIZED_ADD_MAX_RANK, quantizedAddProgram } from './programs/quantized-add-qs8.js';
import { quantizedConcatSliceProgram, quantizedCopyProgram, quantizedPadProgram } from './programs/quantized-data-movement.js';
import { quantizedLookupProgram } from './programs/quantized-lookup-qs8.js';
import { QUANTIZED_MUL_MAX_RANK, quantizedMulProgram } from './programs/quantized-mul-qs8.js';
import { quantizedGlobalPool2dProgram } from './programs/quantized-global-pool2d.js';
import { quantizedPool2dWindowProgram } from './programs/quantized-pool2d-window.js';
import { quantizeProgram } from './programs/quantize-f32.js';
import { requantizeProgram } from './programs/requantize-qs8.js';
import { webGpuQuantizedVariants, type WebGpuQuantizedConvVariant } from './quantized-variants.js';
import type { WebGpuContext } from './webgpu-context.js';

/**
 * Runs `program` into a new int8 tensor: everything that can refuse the call (the size, the
 * program, the uploads) before the output exists; the output is disposed again if the dispatch
 * fails; an empty output gets no dispatch.
 */
function runInt8(
  ctx: WebGpuContext,
  op: string,
  argument: string,
  shape: readonly number[],
  output: QuantParams,
  program: () => GpuProgram,
  bind: () => BoundBuffer[],
): GpuQuantizedTensor {
  ctx.checkUsable(op);
  checkInt8BufferSize(ctx, op, argument, shape);
  const chosen = program();
  const bound = bind();
  const y = allocateInt8(ctx, op, argument, shape, output);
  if (y.size === 0) {
    releaseTemporary(ctx, bound);
    return y;
  }
  try {
    ctx.run(op, chosen, bound, y);
  } catch (error) {
    y.dispose();
    throw error;
  }
  return y;
}

/** The word the int8 binary ops' errors call them by. */
const INT8_BINARY_NAME = { quantizedAdd: 'add', quantizedMul: 'mul' } as const;

/**
 * Runs an int8 binary op's broadcast `program` over `a` and `b`: a walk of more than `maxRank`
 * axes is refused before the program is built.
 */
function runInt8Binary(
  ctx: WebGpuContext,
  op: keyof typeof INT8_BINARY_NAME,
  { a, b, geometry, output }: Pick<QuantizedAddKernelInputs, 'a' | 'b' | 'geometry' | 'output'>,
  maxRank: number,
  program: () => GpuProgram,
): GpuQuantizedTensor {
  const rank = geometry.shape.length;
  const checked = (): GpuProgram => {
    if (rank > maxRank) throw new UnsupportedError(op, 'a', `the WebGPU int8 ${INT8_BINARY_NAME[op]} takes at most ${maxRank} axes, got ${rank}`);
    return program();
  };
  return runInt8(ctx, op, 'a', geometry.shape, output, checked, () =>
    bindAllInt8(ctx, op, [
      ['a', a],
      ['b', b],
    ]),
  );
}

/** The variant running an int8 convolution: the forced one where it applies, else the first supported row the device can compile. */
function selectQuantized(ctx: WebGpuContext, op: string, geometry: Conv2dGeometry): WebGpuQuantizedConvVariant {
  const variant = selectVariant(webGpuQuantizedVariants, geometry.kind, geometry, {
    forced: ctx.forcedVariant,
    where: (v) => !v.packedDot || ctx.packedIntegerDot,
    label: 'WebGPU int8',
  }) as WebGpuQuantizedConvVariant;
  if (variant.packedDot && !ctx.packedIntegerDot) {
    throw new UnsupportedError(
      op,
      'options.variant',
      `variant '${variant.name}' needs WGSL's packed_4x8_integer_dot_product, which this runtime lacks`,
    );
  }
  return variant;
}

function runQuantizedConv(ctx: WebGpuContext, op: string, { x, weights, geometry, output }: QuantizedConvKernelInputs): GpuQuantizedTensor {
  ctx.checkUsable(op);
  const variant = selectQuantized(ctx, op, geometry);
  return runInt8(
    ctx,
    op,
    'x',
    outputShape(geometry),
    output,
    () => variant.program(geometry, weights.requantization),
    () => {
      const [channels, packed] = gpuQuantizedWeights(ctx, weights, variant.layout);
      return [...bindAllInt8(ctx, op, [['x', x]]), { buffer: packed, temporary: false }, { buffer: channels, temporary: false }];
    },
  );
}

/** Refuses a host float input holding NaN, as the reference does (it has no int8 value); device inputs cannot be checked without a read. */
function checkNoNaN(x: Tensor): void {
  if (!isHostTensor(x)) return;
  const index = x.data.findIndex(Number.isNaN);
  if (index >= 0) throw new ValueError('quantize', 'x', `x must not hold NaN (it has no int8 value), got NaN at index ${index}`);
}

/** One dispatch per concatenated input into its slice of the output (see `quantizedConcatSliceProgram`). */
function runQuantizedConcat(
  ctx: WebGpuContext,
  xs: readonly QuantizedTensor[],
  geometry: { shape: readonly number[]; size: number; outer: number; innerSizes: readonly number[]; outInner: number },
  output: QuantParams,
): GpuQuantizedTensor {
  const op = 'quantizedConcat';
  ctx.checkUsable(op);
  checkInt8BufferSize(ctx, op, 'xs', geometry.shape);
  let offset = 0;
  const programs = geometry.innerSizes.map((inner) => {
    const program =
      inner === 0
        ? undefined
        : quantizedConcatSliceProgram({ size: geometry.size, outer: geometry.outer, inner, outInner: geometry.outInner, offset });
    offset += inner;
    return program;
  });
  const bound = bindAllInt8(
    ctx,
    op,
    xs.map((x, i) => [`xs[${i}]`, x] as const),
  );
  const y = allocateInt8(ctx, op, 'xs', geometry.shape, output);
  let next = 0;
  try {
    for (; next < bound.length; next++) {
      const program = programs[next];
      // run() releases an input uploaded for it; one that is not run is released here.
      if (program && y.size > 0) ctx.run(op, program, [bound[next]!], y);
      else releaseTemporary(ctx, [bound[next]!]);
    }
  } catch (error) {
    releaseTemporary(ctx, bound.slice(next + 1));
    y.dispose();
    throw error;
  }
  return y;
}

/**
 * The WebGPU backend's int8 kernels (part of its kernel table): every int8 capability as WGSL
 * programs over int8 tensors packed 4 per word, bit-exact with the reference backend. The
 * convolutions pick their variant from `webGpuQuantizedVariants` (`dot4I8Packed` where WGSL has
 * it); the separable convolution runs its two steps; the rest are one program each (concat one per input).
 */
export const quantizedKernels = {
  quantizedConv2d: (ctx, inputs) => runQuantizedConv(ctx, 'quantizedConv2d', inputs),
  quantizedDepthwiseConv2d: (ctx, inputs) => runQuantizedConv(ctx, 'quantizedDepthwiseConv2d', inputs),
  quantizedPointwiseConv2d: (ctx, inputs) => runQuantizedConv(ctx, 'quantizedPointwiseConv2d', inputs),
  quantizedSeparableConv2d: (ctx, { x, depthwiseWeights, pointwiseWeights, geometry, output }) => {
    const op = 'quantizedSeparableConv2d';
    ctx.checkUsable(op);
    checkInt8BufferSize(ctx, op, 'x', outputShape(geometry.pointwise));
    const middle = runQuantizedConv(ctx, op, { x, weights: depthwiseWeights, geometry: geometry.depthwise, output: depthwiseWeights.output });
    try {
      return runQuantizedConv(ctx, op, { x: middle, weights: pointwiseWeights, geometry: geometry.pointwise, output });
    } finally {
      middle.dispose();
    }
  },
  quantize: (ctx, { x, output }) => {
    checkNoNaN(x);
    return runInt8(
      ctx,
      'quantize',
      'x',
      x.shape,
      output,
      () => quantizeProgram(x.size, output),
      () => {
        const bound = ctx.bind('quantize', 'x', x);
        return [bound];
      },
    );
  },
  dequantize: (ctx, { x }) => {
    const op = 'dequantize';
    ctx.checkUsable(op);
    ctx.checkBufferSize(op, 'x', x.shape);
    const program = dequantizeProgram(x.size, x.quantization);
    const bound = bindAllInt8(ctx, op, [['x', x]]);
    const y = ctx.allocate(op, 'x', x.shape);
    if (y.size === 0) {
      releaseTemporary(ctx, bound);
      return y;
    }
    try {
      ctx.run(op, program, bound, y);
    } catch (error) {
      y.dispose();
      throw error;
    }
    return y;
  },
  requantize: (ctx, { x, output, requantization }) =>
    runInt8(
      ctx,
      'requantize',
      'x',
      x.shape,
      output,
      () => requantizeProgram(x.size, requantization),
      () => bindAllInt8(ctx, 'requantize', [['x', x]]),
    ),
  quantizedAdd: (ctx, inputs) =>
    runInt8Binary(ctx, 'quantizedAdd', inputs, QUANTIZED_ADD_MAX_RANK, () => quantizedAddProgram(inputs.geometry, inputs.requantization)),
  quantizedMul: (ctx, inputs) =>
    runInt8Binary(ctx, 'quantizedMul', inputs, QUANTIZED_MUL_MAX_RANK, () => quantizedMulProgram(inputs.geometry, inputs.requantization)),
  quantizedLookup: (ctx, { x, table, output }) =>
    runInt8(
      ctx,
      'quantizedLookup',
      'x',
      x.shape,
      output,
      () => quantizedLookupProgram(x.size),
      () => [...bindAllInt8(ctx, 'quantizedLookup', [['x', x]]), { buffer: gpuLookupTable(ctx, table), temporary: false }],
    ),
  quantizedPool2d: (ctx, { x, geometry, output, requantization }) =>
    runInt8(
      ctx,
      'quantizedPool2d',
      'x',
      geometry.shape,
      output,
      () => quantizedPool2dWindowProgram(geometry, requantization),
      () => bindAllInt8(ctx, 'quantizedPool2d', [['x', x]]),
    ),
  quantizedGlobalPool2d: (ctx, { x, geometry, output, requantization }) =>
    runInt8(
      ctx,
      'quantizedGlobalPool2d',
      'x',
      geometry.shape,
      output,
      () => quantizedGlobalPool2dProgram(geometry, requantization),
      () => bindAllInt8(ctx, 'quantizedGlobalPool2d', [['x', x]]),
    ),
  quantizedConcat: (ctx, { xs, geometry, output }) => runQuantizedConcat(ctx, xs, geometry, output),
  quantizedPad: (ctx, { x, geometry, output }) =>
    runInt8(
      ctx,
      'quantizedPad',
      'x',
      geometry.shape,
      output,
      () => quantizedPadProgram(geometry),
      () => bindAllInt8(ctx, 'quantizedPad', [['x', x]]),
    ),
  // A copy, not a view: the result and `x` are disposed independently.
  quantizedReshape: (ctx, { x, geometry, output }) =>
    runInt8(
      ctx,
      'quantizedReshape',
      'x',
      geometry.shape,
      output,
      () => quantizedCopyProgram(geometry.size),
      () => bindAllInt8(ctx, 'quantizedReshape', [['x', x]]),
    ),
} satisfies Partial<KernelTable<WebGpuContext, Tensor, GpuTensor>>;
