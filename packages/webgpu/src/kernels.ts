import {
  binaryGeometry,
  outputShape,
  selectVariant,
  type Activation,
  type BinaryKernelInputs,
  type BinaryOp,
  type ConcatKernelInputs,
  type ConvKernelInputs,
  type KernelTable,
  type SeparableKernelInputs,
  type Tensor,
} from '@sepconv/tensor';
import type { GpuProgram } from './gpu-program.js';
import type { GpuTensor } from './gpu-tensor.js';
import { binaryBroadcastProgram } from './programs/binary-broadcast.js';
import { concatSliceProgram } from './programs/concat-slice.js';
import { copyProgram } from './programs/copy.js';
import { globalPool2dReduceProgram } from './programs/global-pool2d-reduce.js';
import { padConstantProgram } from './programs/pad-constant.js';
import { pool2dWindowProgram } from './programs/pool2d-window.js';
import { quantizedKernels } from './quantized-kernels.js';
import { resizeBilinearProgram } from './programs/resize-bilinear.js';
import { softmaxProgram } from './programs/softmax.js';
import { unaryActivationProgram } from './programs/unary-activation.js';
import { webGpuVariants } from './variants.js';
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

function runConv(ctx: WebGpuContext, op: string, inputs: ConvKernelInputs<Tensor>): GpuTensor {
  const { x, filter, bias, residual, geometry } = inputs;
  ctx.checkUsable(op);
  const variant = selectVariant(webGpuVariants, geometry.kind, geometry, { forced: inputs.variant ?? ctx.forcedVariant, label: 'WebGPU' });
  if (residual !== undefined && !variant.fusesResidual) {
    const linear = { ...geometry, hasResidual: false, activation: 'linear' as const };
    return addResidual(ctx, op, residual, geometry.activation, () => runConv(ctx, op, { ...inputs, residual: undefined, geometry: linear }));
  }
  const named: [string, Tensor | undefined][] = [
    ['x', x],
    ['filter', filter],
    ['options.bias', bias],
    // The programs that fuse it bind the residual last (see pointwiseConv2dVec4Program).
    ...(residual === undefined ? [] : [['options.residual', residual] as [string, Tensor]]),
  ];
  return dispatch(ctx, op, named, outputShape(geometry), () => variant.program(geometry));
}

/**
 * The residual of a variant whose program does not fuse it, correct for every program: `run`
 * computes the convolution without activation (bias added), then one broadcast-add dispatch
 * adds `residual` and applies `activation` into the result; the intermediate is freed.
 */
function addResidual(ctx: WebGpuContext, op: string, residual: Tensor, activation: Activation, run: () => GpuTensor): GpuTensor {
  const y = run();
  try {
    const geometry = binaryGeometry('add', y, residual, { activation });
    return dispatch(
      ctx,
      op,
      [
        ['x', y],
        ['options.residual', residual],
      ],
      geometry.shape,
      () => binaryBroadcastProgram(geometry),
    );
  } finally {
    y.dispose();
  }
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
  // Size errors name the first input (x, or a for the binary ops): the output has its shape.
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
  const { x, depthwiseFilter, pointwiseFilter, depthwiseBias, bias, residual, geometry } = inputs;
  const variant = selectVariant(webGpuVariants, op, geometry, { forced: inputs.variant ?? ctx.forcedVariant, label: 'WebGPU' });
  if (variant.program && residual !== undefined) {
    const pointwise = { ...geometry.pointwise, hasResidual: false, activation: 'linear' as const };
    const unactivated = { ...inputs, residual: undefined, geometry: { ...geometry, pointwise } };
    return addResidual(ctx, op, residual, geometry.pointwise.activation, () => runSeparable(ctx, unactivated));
  }
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
    // The residual goes to the pointwise step, whose vec4 programs add it in their store.
    return runConv(ctx, op, { x: intermediate, filter: pointwiseFilter, bias, residual, geometry: geometry.pointwise });
  } finally {
    intermediate.dispose();
  }
}

/**
 * Concatenation as one slice copy per input into one output (see `concatSliceProgram` for why
 * not one program over the output); an input with nothing along the axis gets no dispatch.
 */
function runConcat(ctx: WebGpuContext, { xs, geometry }: ConcatKernelInputs<Tensor>): GpuTensor {
  const op = 'concat';
  ctx.checkUsable(op);
  ctx.checkBufferSize(op, 'xs', geometry.shape);
  let offset = 0;
  const slices = geometry.innerSizes.map((inner) => {
    const slice = { outer: geometry.outer, inner, outInner: geometry.outInner, offset };
    offset += inner;
    return slice;
  });
  const programs = slices.map((slice) => (slice.inner === 0 ? undefined : concatSliceProgram(slice)));
  const bound = bindAll(
    ctx,
    op,
    xs.map((x, i) => [`xs[${i}]`, x] as const),
  );
  const output = ctx.allocate(op, 'xs', geometry.shape);
  let next = 0;
  try {
    for (; next < bound.length; next++) {
      const program = programs[next];
      // run() releases an input uploaded for it; one that is not run is released here.
      if (program && output.size > 0) ctx.run(op, program, [bound[next]!], output);
      else if (bound[next]!.temporary) ctx.release(bound[next]!.buffer);
    }
  } catch (error) {
    for (const input of bound.slice(next + 1)) if (input.temporary) ctx.release(input.buffer);
    output.dispose();
    throw error;
  }
  return output;
}

/** add, sub, mul and div: one broadcasting program, the op and the broadcast pattern travel as uniforms. */
function binaryKernel(op: BinaryOp) {
  return (ctx: WebGpuContext, { a, b, geometry }: BinaryKernelInputs<Tensor>): GpuTensor =>
    runProgram(
      ctx,
      op,
      [
        ['a', a],
        ['b', b],
      ],
      geometry.shape,
      () => binaryBroadcastProgram(geometry),
    );
}

/**
 * The WebGPU backend's kernels as one typed table: validated inputs (host tensors or this
 * backend's device tensors) in, a device tensor out. A convolution picks its variant from
 * `webGpuVariants` (or the forced one) and records one dispatch (two for the two-pass
 * separable); the element-wise ops (`add`, `sub`, `mul`, `div` with broadcasting, `activation`),
 * `pad`, `pool2d`, `globalPool2d`, `resizeBilinear`, `softmax` and `reshape` (a copy, so the
 * result is disposed independently of `x`) record one each, `concat` one per input; `upload`
 * copies a host tensor to the device.
 */
export const kernels = {
  conv2d: (ctx, inputs) => runConv(ctx, 'conv2d', inputs),
  depthwiseConv2d: (ctx, inputs) => runConv(ctx, 'depthwiseConv2d', inputs),
  pointwiseConv2d: (ctx, inputs) => runConv(ctx, 'pointwiseConv2d', inputs),
  separableConv2d: (ctx, inputs) => runSeparable(ctx, inputs),
  add: binaryKernel('add'),
  sub: binaryKernel('sub'),
  mul: binaryKernel('mul'),
  div: binaryKernel('div'),
  activation: (ctx, { x, geometry }) => runProgram(ctx, 'activation', [['x', x]], geometry.shape, () => unaryActivationProgram(geometry)),
  concat: (ctx, inputs) => runConcat(ctx, inputs),
  pad: (ctx, { x, geometry }) => runProgram(ctx, 'pad', [['x', x]], geometry.shape, () => padConstantProgram(geometry)),
  pool2d: (ctx, { x, geometry }) => runProgram(ctx, 'pool2d', [['x', x]], geometry.shape, () => pool2dWindowProgram(geometry)),
  globalPool2d: (ctx, { x, geometry }) => runProgram(ctx, 'globalPool2d', [['x', x]], geometry.shape, () => globalPool2dReduceProgram(geometry)),
  resizeBilinear: (ctx, { x, geometry }) => runProgram(ctx, 'resizeBilinear', [['x', x]], geometry.shape, () => resizeBilinearProgram(geometry)),
  softmax: (ctx, { x, geometry }) => runProgram(ctx, 'softmax', [['x', x]], geometry.shape, () => softmaxProgram(geometry)),
  reshape: (ctx, { x, geometry }) => runProgram(ctx, 'reshape', [['x', x]], geometry.shape, () => copyProgram(geometry.size)),
  upload: (ctx, { x }) => {
    ctx.checkUsable('upload');
    return ctx.upload('upload', 'x', x);
  },
  ...quantizedKernels,
} satisfies KernelTable<WebGpuContext, Tensor, GpuTensor>;
