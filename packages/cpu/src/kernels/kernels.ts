import {
  BackendError,
  outputShape,
  type ConvKernelInputs,
  type KernelTable,
  type SeparableKernelInputs,
  type Tensor,
} from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuTensor } from '../cpu-tensor.js';
import type { CpuKernelVariant } from '../variants.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { jsConv2d } from './js-conv2d.js';
import { jsDepthwiseConv2d } from './js-depthwise-conv2d.js';
import { wasmDepthwiseConv2d } from './wasm-depthwise-conv2d.js';
import { wasmGemmConv2d } from './wasm-gemm-conv2d.js';
import { wasmSeparableConv2d } from './wasm-separable-conv2d.js';
import { floatIndex } from '../heap.js';

function wasmRuntime(ctx: CpuContext, op: string, variant: CpuKernelVariant): WasmRuntime {
  if (!ctx.runtime) throw new BackendError(op, 'variant', `${variant.name} needs WebAssembly, which this backend did not load`);
  return ctx.runtime;
}

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

/** A single-step convolution on the JavaScript kernels, reading the input where it lies. */
function jsSingle(ctx: CpuContext, op: string, kernel: typeof jsConv2d, inputs: ConvKernelInputs<Tensor>, y: CpuTensor): void {
  const input = ctx.input(op, 'x', inputs.x);
  try {
    const floats = ctx.heap.floats();
    const filter = ctx.hostData(op, 'filter', inputs.filter);
    const bias = inputs.bias && ctx.hostData(op, 'options.bias', inputs.bias);
    kernel(floats, floatIndex(input.address), filter, bias, inputs.geometry, floats, floatIndex(y.address));
  } finally {
    input.release();
  }
}

function conv(ctx: CpuContext, op: 'conv2d' | 'pointwiseConv2d', inputs: ConvKernelInputs<Tensor>): CpuTensor {
  const variant = ctx.select(op, inputs.geometry);
  return intoOutput(ctx, op, outputShape(inputs.geometry), (y) => {
    if (variant.kernel === 'js-conv') jsSingle(ctx, op, jsConv2d, inputs, y);
    else wasmGemmConv2d(ctx, wasmRuntime(ctx, op, variant), op, variant.kernel === 'gemm', inputs, y);
  });
}

/**
 * The CPU backend's kernels as one typed table: each entry picks its variant (the forced one
 * when it applies) and runs it into a new tensor in the backend's heap.
 */
export const kernels = {
  conv2d: (ctx, inputs) => conv(ctx, 'conv2d', inputs),
  pointwiseConv2d: (ctx, inputs) => conv(ctx, 'pointwiseConv2d', inputs),
  depthwiseConv2d: (ctx, inputs) => {
    const op = 'depthwiseConv2d';
    const variant = ctx.select(op, inputs.geometry);
    return intoOutput(ctx, op, outputShape(inputs.geometry), (y) => {
      if (variant.kernel === 'js-dwconv') jsSingle(ctx, op, jsDepthwiseConv2d, inputs, y);
      else wasmDepthwiseConv2d(ctx, wasmRuntime(ctx, op, variant), variant.kernel, inputs, y);
    });
  },
  separableConv2d: (ctx, inputs: SeparableKernelInputs<Tensor>) => {
    const op = 'separableConv2d';
    const variant = ctx.select(op, inputs.geometry);
    const { depthwise, pointwise } = inputs.geometry;
    return intoOutput(ctx, op, outputShape(pointwise), (y) => {
      if (variant.kernel === 'sepconv-fused') {
        wasmSeparableConv2d(ctx, wasmRuntime(ctx, op, variant), inputs, y);
        return;
      }
      // Unfused JavaScript: the depthwise result is stored as float32, as the reference has it.
      const input = ctx.input(op, 'x', inputs.x);
      try {
        const floats = ctx.heap.floats();
        const intermediate = new Float32Array(depthwise.batch * depthwise.outHeight * depthwise.outWidth * depthwise.outChannels);
        const depthwiseBias = inputs.depthwiseBias && ctx.hostData(op, 'options.depthwiseBias', inputs.depthwiseBias);
        jsDepthwiseConv2d(floats, floatIndex(input.address), ctx.hostData(op, 'depthwiseFilter', inputs.depthwiseFilter), depthwiseBias, depthwise, intermediate, 0);
        const bias = inputs.bias && ctx.hostData(op, 'options.bias', inputs.bias);
        jsConv2d(intermediate, 0, ctx.hostData(op, 'pointwiseFilter', inputs.pointwiseFilter), bias, pointwise, floats, floatIndex(y.address));
      } finally {
        input.release();
      }
    });
  },
} satisfies KernelTable<CpuContext, Tensor, CpuTensor>;
