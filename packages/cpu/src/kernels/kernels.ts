import { outputShape, type BinaryKernelInputs, type KernelTable, type Tensor } from '@sepconv/tensor';
import {
  referenceActivation,
  referenceBinary,
  referenceConcat,
  referenceGlobalPool2d,
  referencePad,
  referencePool2d,
  referenceResizeBilinear,
  referenceSoftmax,
} from '@sepconv/tensor/reference';
import type { CpuContext } from '../cpu-context.js';
import type { CpuTensor } from '../cpu-tensor.js';
import { quantizedKernels } from './quantized-kernels.js';
import { runConvVariant, runSeparableVariant } from './residual-epilogue.js';
import { wasmActivation, wasmActivationSupports } from './wasm-activation.js';
import { wasmBinary, wasmBinarySupports } from './wasm-binary.js';
import { wasmGlobalAvgPool } from './wasm-global-avg-pool.js';

/** Runs `compute` into a new output tensor, which is freed again if the kernel throws. */
function intoOutput(ctx: CpuContext, op: string, shape: readonly number[], compute: (y: CpuTensor) => void): CpuTensor {
  const y = ctx.output(op, shape);
  if (y.size === 0) return y;
  try {
    compute(y);
  } catch (error) {
    y.dispose();
    throw error;
  }
  return y;
}

/**
 * A host-arithmetic op on the inputs where they lie (host tensors or this backend's): each is
 * checked readable before the output is allocated and viewed after, as allocation may grow the
 * heap and detach earlier views.
 */
function onHostData(
  ctx: CpuContext,
  op: string,
  inputs: readonly (readonly [string, Tensor])[],
  shape: readonly number[],
  compute: (data: Float32Array[], out: Float32Array) => void,
): CpuTensor {
  for (const [argument, t] of inputs) ctx.hostData(op, argument, t);
  return intoOutput(ctx, op, shape, (y) =>
    compute(
      inputs.map(([argument, t]) => ctx.hostData(op, argument, t)),
      y.view(),
    ),
  );
}

/**
 * An element-wise binary op (`geometry.op` says which), broadcasting, on host or heap inputs:
 * the wasm kernel for the broadcasts it walks, the reference loop for the rest.
 */
function binary(ctx: CpuContext, inputs: BinaryKernelInputs<Tensor>): CpuTensor {
  const { a, b, geometry } = inputs;
  const runtime = ctx.runtime;
  if (runtime && wasmBinarySupports(geometry)) return intoOutput(ctx, geometry.op, geometry.shape, (y) => wasmBinary(ctx, runtime, inputs, y));
  return onHostData(
    ctx,
    geometry.op,
    [
      ['a', a],
      ['b', b],
    ],
    geometry.shape,
    ([aData, bData], out) => referenceBinary(aData!, bData!, geometry, out),
  );
}

/**
 * The CPU backend's kernels as one typed table. A convolution picks its variant from
 * `cpuVariants` (`ctx.select`: the forced one when it applies) and calls the function that row
 * names, into a new tensor in the backend's heap; the optional capabilities run host arithmetic
 * on the heap in place; the int8 capabilities are `quantizedKernels`.
 */
export const kernels = {
  conv2d: (ctx, inputs) => {
    const variant = ctx.select('conv2d', inputs.geometry, inputs.variant);
    return intoOutput(ctx, 'conv2d', outputShape(inputs.geometry), (y) => runConvVariant(ctx, variant, inputs, y));
  },
  depthwiseConv2d: (ctx, inputs) => {
    const variant = ctx.select('depthwiseConv2d', inputs.geometry, inputs.variant);
    return intoOutput(ctx, 'depthwiseConv2d', outputShape(inputs.geometry), (y) => runConvVariant(ctx, variant, inputs, y));
  },
  pointwiseConv2d: (ctx, inputs) => {
    const variant = ctx.select('pointwiseConv2d', inputs.geometry, inputs.variant);
    return intoOutput(ctx, 'pointwiseConv2d', outputShape(inputs.geometry), (y) => runConvVariant(ctx, variant, inputs, y));
  },
  separableConv2d: (ctx, inputs) => {
    const variant = ctx.select('separableConv2d', inputs.geometry, inputs.variant);
    return intoOutput(ctx, 'separableConv2d', outputShape(inputs.geometry.pointwise), (y) => runSeparableVariant(ctx, variant, inputs, y));
  },
  // The graph operations MobileNets run often (element-wise binary ops and activations, global
  // average pooling) have wasm kernels where a WebAssembly runtime is loaded; the rest, and the
  // cases those kernels do not cover, run `@sepconv/tensor/reference`'s loops (the one host
  // implementation of each) over the heap views.
  add: (ctx, inputs) => binary(ctx, inputs),
  sub: (ctx, inputs) => binary(ctx, inputs),
  mul: (ctx, inputs) => binary(ctx, inputs),
  div: (ctx, inputs) => binary(ctx, inputs),
  activation: (ctx, inputs) => {
    const { x, geometry } = inputs;
    const runtime = ctx.runtime;
    if (runtime && wasmActivationSupports(geometry.activation)) {
      return intoOutput(ctx, 'activation', geometry.shape, (y) => wasmActivation(ctx, runtime, inputs, y));
    }
    return onHostData(ctx, 'activation', [['x', x]], geometry.shape, ([data], out) => referenceActivation(data!, geometry, out));
  },
  concat: (ctx, { xs, geometry }) =>
    onHostData(
      ctx,
      'concat',
      xs.map((x, i) => [`xs[${i}]`, x] as const),
      geometry.shape,
      (data, out) => referenceConcat(data, geometry, out),
    ),
  pad: (ctx, { x, geometry }) => onHostData(ctx, 'pad', [['x', x]], geometry.shape, ([data], out) => referencePad(data!, geometry, out)),
  pool2d: (ctx, { x, geometry }) => onHostData(ctx, 'pool2d', [['x', x]], geometry.shape, ([data], out) => referencePool2d(data!, geometry, out)),
  globalPool2d: (ctx, inputs) => {
    const { x, geometry } = inputs;
    const runtime = ctx.runtime;
    if (runtime && geometry.type === 'avg') return intoOutput(ctx, 'globalPool2d', geometry.shape, (y) => wasmGlobalAvgPool(ctx, runtime, inputs, y));
    return onHostData(ctx, 'globalPool2d', [['x', x]], geometry.shape, ([data], out) => referenceGlobalPool2d(data!, geometry, out));
  },
  resizeBilinear: (ctx, { x, geometry }) =>
    onHostData(ctx, 'resizeBilinear', [['x', x]], geometry.shape, ([data], out) => referenceResizeBilinear(data!, geometry, out)),
  softmax: (ctx, { x, geometry }) => onHostData(ctx, 'softmax', [['x', x]], geometry.shape, ([data], out) => referenceSoftmax(data!, geometry, out)),
  // A copy, not a view: the result and `x` are disposed independently.
  reshape: (ctx, { x, geometry }) => onHostData(ctx, 'reshape', [['x', x]], geometry.shape, ([data], out) => out.set(data!)),
  upload: (ctx, { x }) => ctx.resident('upload', 'x', x),
  ...quantizedKernels,
} satisfies KernelTable<CpuContext, Tensor, CpuTensor>;
