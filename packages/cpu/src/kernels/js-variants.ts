import type { ConvKernelInputs, SeparableKernelInputs, Tensor } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuTensor } from '../cpu-tensor.js';
import { floatIndex } from '../heap.js';
import type { CpuConvVariant, CpuSeparableVariant } from '../variants.js';
import { jsConv2d } from './js-conv2d.js';
import { jsDepthwiseConv2d } from './js-depthwise-conv2d.js';

/** A single-step convolution on a JavaScript kernel, reading the input where it lies in the heap. */
function runJsSingle(ctx: CpuContext, op: string, kernel: typeof jsConv2d, inputs: ConvKernelInputs<Tensor>, y: CpuTensor): void {
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

/** Runs the `*-js` standard and pointwise rows of `cpuVariants`. */
export function runJsConv2d(ctx: CpuContext, variant: CpuConvVariant, inputs: ConvKernelInputs<Tensor>, y: CpuTensor): void {
  runJsSingle(ctx, variant.op, jsConv2d, inputs, y);
}

/** Runs the `dwconv2d-nhwc-generic-f32-js` row of `cpuVariants`. */
export function runJsDepthwiseConv2d(ctx: CpuContext, variant: CpuConvVariant, inputs: ConvKernelInputs<Tensor>, y: CpuTensor): void {
  runJsSingle(ctx, variant.op, jsDepthwiseConv2d, inputs, y);
}

/**
 * Runs the `sepconv2d-nhwc-unfused-f32-js` row: the depthwise step into a float32 intermediate
 * (stored as float32, as the reference has it), then the pointwise step.
 */
export function runJsSeparableConv2d(ctx: CpuContext, variant: CpuSeparableVariant, inputs: SeparableKernelInputs<Tensor>, y: CpuTensor): void {
  const op = variant.op;
  const { depthwise, pointwise } = inputs.geometry;
  const input = ctx.input(op, 'x', inputs.x);
  try {
    const floats = ctx.heap.floats();
    const intermediate = new Float32Array(depthwise.batch * depthwise.outHeight * depthwise.outWidth * depthwise.outChannels);
    const depthwiseBias = inputs.depthwiseBias && ctx.hostData(op, 'options.depthwiseBias', inputs.depthwiseBias);
    jsDepthwiseConv2d(
      floats,
      floatIndex(input.address),
      ctx.hostData(op, 'depthwiseFilter', inputs.depthwiseFilter),
      depthwiseBias,
      depthwise,
      intermediate,
      0,
    );
    const bias = inputs.bias && ctx.hostData(op, 'options.bias', inputs.bias);
    jsConv2d(intermediate, 0, ctx.hostData(op, 'pointwiseFilter', inputs.pointwiseFilter), bias, pointwise, floats, floatIndex(y.address));
  } finally {
    input.release();
  }
}
