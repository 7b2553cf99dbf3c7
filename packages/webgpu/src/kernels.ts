import {
  CONV_ACTIVATIONS,
  formatShape,
  outputShape,
  selectVariant,
  UnsupportedError,
  type AddGeometry,
  type ConvKernelInputs,
  type KernelTable,
  type SeparableKernelInputs,
  type Tensor,
} from '@sepconv/tensor';
import type { GpuProgram } from './gpu-program.js';
import type { GpuTensor } from './gpu-tensor.js';
import { addProgram } from './programs/add.js';
import { copyProgram } from './programs/copy.js';
import { softmaxProgram } from './programs/softmax.js';
import { webGpuVariants } from './variants.js';
import type { WebGpuContext } from './webgpu-context.js';

type Bound = ReturnType<WebGpuContext['bind']>;

const EPILOGUE_ACTIVATIONS = new Set<string>(CONV_ACTIVATIONS);

/**
 * `add` runs the residual form only (equal shapes, a clamp activation) until the broadcasting
 * element-wise program is wired in; anything else is refused rather than computed wrongly.
 */
function checkResidualAdd(geometry: AddGeometry): void {
  if (formatShape(geometry.aShape) !== formatShape(geometry.bShape)) {
    throw new UnsupportedError('add', 'b', `the WebGPU backend adds equally shaped tensors only for now, got a ${formatShape(geometry.aShape)} and b ${formatShape(geometry.bShape)}`);
  }
  if (!EPILOGUE_ACTIVATIONS.has(geometry.activation)) {
    throw new UnsupportedError('add', 'options.activation', `the WebGPU backend's add applies 'linear', 'relu' or 'relu6' only for now, got '${geometry.activation}'`);
  }
}

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
    selectVariant(webGpuVariants, geometry.kind, geometry, { forced: ctx.forcedVariant, label: 'WebGPU' }).program(geometry),
  );
}

/** Checks the device is usable, then {@link dispatch}es one program. */
function runProgram(
  ctx: WebGpuContext,
  op: string,
  named: readonly (readonly [string, Tensor | undefined])[],
  shape: readonly number[],
  program: () => GpuProgram,
): GpuTensor {
  ctx.checkUsable(op);
  return dispatch(ctx, op, named, shape, program);
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
  // Everything that can refuse the call runs before the output exists: the program choice, then the uploads.
  const chosen = program();
  const bound = bindAll(ctx, op, named);
  const output = ctx.allocate(op, argument, shape);
  if (output.size === 0) {
    for (const input of bound) if (input.temporary) ctx.release(input.buffer);
    return output;
  }
  try {
    ctx.run(op, chosen, bound, output);
  } catch (error) {
    output.dispose();
    throw error;
  }
  return output;
}

function runSeparable(ctx: WebGpuContext, inputs: SeparableKernelInputs<Tensor>): GpuTensor {
  const op = 'separableConv2d';
  ctx.checkUsable(op);
  const { x, depthwiseFilter, pointwiseFilter, depthwiseBias, bias, geometry } = inputs;
  const variant = selectVariant(webGpuVariants, op, geometry, { forced: ctx.forcedVariant, label: 'WebGPU' });
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
 * backend's device tensors) in, a device tensor out. A convolution picks its variant from
 * `webGpuVariants` (or the forced one) and records one dispatch (two for the two-pass
 * separable); `add`, `softmax` and `reshape` (a copy, so the result is disposed independently
 * of `x`) record one each; `upload` copies a host tensor to the device.
 */
export const kernels = {
  conv2d: (ctx, inputs) => runConv(ctx, 'conv2d', inputs),
  depthwiseConv2d: (ctx, inputs) => runConv(ctx, 'depthwiseConv2d', inputs),
  pointwiseConv2d: (ctx, inputs) => runConv(ctx, 'pointwiseConv2d', inputs),
  separableConv2d: (ctx, inputs) => runSeparable(ctx, inputs),
  add: (ctx, { a, b, geometry }): GpuTensor => {
    checkResidualAdd(geometry);
    return runProgram(ctx, 'add', [['a', a], ['b', b]], geometry.shape, () => addProgram(geometry));
  },
  softmax: (ctx, { x, geometry }) => runProgram(ctx, 'softmax', [['x', x]], geometry.shape, () => softmaxProgram(geometry)),
  reshape: (ctx, { x, geometry }) => runProgram(ctx, 'reshape', [['x', x]], geometry.shape, () => copyProgram(geometry.size)),
  upload: (ctx, { x }) => {
    ctx.checkUsable('upload');
    return ctx.upload('upload', 'x', x);
  },
} satisfies KernelTable<WebGpuContext, Tensor, GpuTensor>;
