import { CONV_ACTIVATIONS, type Activation, type ActivationKernelInputs, type ConvActivation, type Tensor } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuTensor } from '../cpu-tensor.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { WasmKernel } from '../wasm/job-layout.js';
import { writeSlots } from '../wasm/write-job.js';

/**
 * What an element of an element-wise job weighs against the runtime's parallel threshold, in
 * multiply-adds of a convolution: about as long as 8 of them. Measured on one thread in
 * MobileNetV3-Large (`bench:networks --profile`): binary ops 3.0–3.1 G elements/s, the pointwise
 * GEMM 22–26 GMAC/s, a ratio of 7–8. At 4 (a guess from the instruction count) the SE blocks'
 * 57k–95k-element multiplies and 75k-element residual adds (0.02–0.03 ms) ran whole on one
 * thread while the other waited at the next barrier; at 8 they split.
 */
export const ELEMENT_WORK = 8;

/** Whether the wasm kernel computes `activation`: the convolution epilogues (clamps, hard-sigmoid, hard-swish); `sigmoid` runs the reference loop. */
export function wasmActivationSupports(activation: Activation): activation is ConvActivation {
  return CONV_ACTIVATIONS.includes(activation as ConvActivation);
}

/**
 * `y = activation(x)` element-wise over the flat data, on the wasm epilogue code the
 * convolutions use (float32; hard-swish within a few ulp of the float64 reference). Elements
 * split among threads in whole cache lines (16 floats).
 */
export function wasmActivation(ctx: CpuContext, runtime: WasmRuntime, { x, geometry }: ActivationKernelInputs<Tensor>, y: CpuTensor): void {
  const op = 'activation';
  const work = geometry.size * ELEMENT_WORK;
  runtime.prepare(work);
  const input = ctx.input(op, 'x', x);
  try {
    writeSlots(
      ctx.heap.ints(),
      ctx.heap.floats(),
      runtime.job,
      { kernel: WasmKernel.activation, x: input.address, y: y.address },
      geometry.activation as ConvActivation,
    );
    runtime.launch(op, geometry.size, 16, work);
  } finally {
    input.release();
  }
}
