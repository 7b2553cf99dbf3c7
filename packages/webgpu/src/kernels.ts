import { outputShape, type AddGeometry, type ConvKernelInputs, type ReshapeGeometry, type SoftmaxGeometry, type KernelTable, type SeparableKernelInputs, type Tensor } from '@sepconv/tensor';
import type { GpuProgram } from './gpu-program.js';
import type { GpuTensor } from './gpu-tensor.js';
import { addProgram } from './programs/add.js';
import { copyProgram } from './programs/copy.js';
import { softmaxProgram } from './programs/softmax.js';
import { selectConvVariant, selectSeparableVariant } from './variants.js';
import type { WebGpuContext } from './webgpu-context.js';

type Bound = ReturnType<WebGpuContext['bind']>;

/** Binds every input (absent biases get a placeholder), releasing the uploads already made when a later one is refused. */
function bindAll(ctx: WebGpuContext, op: string, inputs: readonly (readonly [string, Tensor | undefined])[]): Bound[] {
  const bound: Bound[] = [];
  try {
    for (const [argument, t] of inputs) bound.push(t === undefined ? ctx.placeholder() : ctx.bind(op, argument, t));
  } catch (error) {
    for (const input of bound) if (input.temporary) ctx.release(input.buffer);
    throw error;
  }
  return bound;
}

function runConv(ctx: WebGpuContext, op: string, { x, filter, bias, geometry }: ConvKernelInputs<Tensor>): GpuTensor {
  ctx.checkUsable(op);
  const named: [string, Tensor | undefined][] = [['x', x], ['filter', filter], ['options.bias', bias]];
  return dispatch(ctx, op, named, outputShape(geometry), () =>
    selectConvVariant(geometry.kind, geometry, ctx.forcedVariant).program(geometry),
  );
}

/** Allocates the output, binds the inputs and runs the program (none for an empty output). */
function dispatch(
  ctx: WebGpuContext,
  op: string,
  named: readonly (readonly [string, Tensor | undefined])[],
  shape: readonly number[],
  program: () => GpuProgram,
): GpuTensor {
  // Size errors name the first input (x, or a for add): the output has its shape.
  const argument = named[0]![0];
  ctx.checkBufferSize(op, argument, shape);
  const bound = bindAll(ctx, op, named);
  const output = ctx.allocate(op, argument, shape);
  if (output.size === 0) {
    for (const input of bound) if (input.temporary) ctx.release(input.buffer);
    return output;
  }
  ctx.run(op, program(), bound, output);
  return output;
}

function runSeparable(ctx: WebGpuContext, inputs: SeparableKernelInputs<Tensor>): GpuTensor {
  const op = 'separableConv2d';
  ctx.checkUsable(op);
  const { x, depthwiseFilter, pointwiseFilter, depthwiseBias, bias, geometry } = inputs;
  const variant = selectSeparableVariant(geometry, ctx.forcedVariant);
  if (variant.program) {
    const named: [string, Tensor | undefined][] = [
      ['x', x],
      ['depthwiseFilter', depthwiseFilter],
      ['options.depthwiseBias', depthwiseBias],
      ['pointwiseFilter', pointwiseFilter],
      ['options.bias', bias],
    ];
    const fused = variant.program;
    return dispatch(ctx, op, named, outputShape(geometry.pointwise), () => fused(geometry));
  }
  ctx.checkBufferSize(op, 'x', outputShape(geometry.pointwise));
  const intermediate = runConv(ctx, op, { x, filter: depthwiseFilter, bias: depthwiseBias, geometry: geometry.depthwise });
  try {
    return runConv(ctx, op, { x: intermediate, filter: pointwiseFilter, bias, geometry: geometry.pointwise });
  } finally {
    intermediate.dispose();
  }
}

/**
 * The WebGPU backend's kernels as one typed table: validated inputs (host tensors or this
 * backend's device tensors) in, a device tensor out. Each picks its variant from
 * `webGpuVariants` (or the forced one) and records one dispatch.
 */
export const kernels = {
  conv2d: (ctx, inputs) => runConv(ctx, 'conv2d', inputs),
  depthwiseConv2d: (ctx, inputs) => runConv(ctx, 'depthwiseConv2d', inputs),
  pointwiseConv2d: (ctx, inputs) => runConv(ctx, 'pointwiseConv2d', inputs),
  separableConv2d: (ctx, inputs) => runSeparable(ctx, inputs),
} satisfies KernelTable<WebGpuContext, Tensor, GpuTensor>;

/**
 * The optional `add` capability: `act(a + b)` of two validated, equally shaped tensors (host
 * tensors or this backend's), one dispatch, the result left on the GPU. Beside the table
 * because `KernelTable` lists the required kernels only.
 */
export function addKernel(ctx: WebGpuContext, { a, b, geometry }: { a: Tensor; b: Tensor; geometry: AddGeometry }): GpuTensor {
  const op = 'add';
  ctx.checkUsable(op);
  return dispatch(ctx, op, [['a', a], ['b', b]], geometry.shape, () => addProgram(geometry));
}

/**
 * The optional `softmax` capability: softmax over the last axis of a validated tensor (host or
 * this backend's), one dispatch, the result left on the GPU.
 */
export function softmaxKernel(ctx: WebGpuContext, { x, geometry }: { x: Tensor; geometry: SoftmaxGeometry }): GpuTensor {
  const op = 'softmax';
  ctx.checkUsable(op);
  return dispatch(ctx, op, [['x', x]], geometry.shape, () => softmaxProgram(geometry));
}

/**
 * The optional `reshape` capability: the elements of `x` copied into a new GPU buffer under the
 * new shape, so the result's `dispose()` is independent of `x`'s.
 */
export function reshapeKernel(ctx: WebGpuContext, { x, geometry }: { x: Tensor; geometry: ReshapeGeometry }): GpuTensor {
  const op = 'reshape';
  ctx.checkUsable(op);
  return dispatch(ctx, op, [['x', x]], geometry.shape, () => copyProgram(geometry.size));
}
