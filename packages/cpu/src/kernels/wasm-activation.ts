import { CONV_ACTIVATIONS, type Activation, type ActivationKernelInputs, type ConvActivation, type Tensor } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuTensor } from '../cpu-tensor.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { WasmKernel } from '../wasm/job-layout.js';
import { writeSlots } from '../wasm/write-job.js';

/**
 * Elements one thread handles before an element-wise job is split: an element costs about as
 * much as four multiply-adds of a convolution (a load, a store and a few vector operations per
 * four elements), which the runtime's threshold counts.
 */
export const ELEMENT_WORK = 4;

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
