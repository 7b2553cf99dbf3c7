import { checkQuantParams, ValueError, type QuantParams, type Tensor } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuQuantizedTensor } from '../cpu-quantized-tensor.js';
import { floatIndex } from '../heap.js';
import { JobSlot, WasmKernel } from '../wasm/job-layout.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { writeSlots } from '../wasm/write-job.js';

/** Elements per vector step of the kernel: threads split the elements in multiples of it. */
const QUANTIZE_GRANULE = 16;
/** Work per element given to the thread-split heuristic (a division and a few vector ops). */
const QUANTIZE_WORK = 4;

/** Index of the first NaN in `values`, or −1. */
function firstNaN(values: Float32Array): number {
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (value !== value) return index;
  }
  return -1;
}

/**
 * `quantize` of float tensor `x` into int8 `y`, bit for bit as `quantizeValues` (see
 * assembly/int8-quantize.ts), elements split among threads. A NaN is refused here, before
 * anything is queued, with the reference's ValueError.
 */
export function wasmInt8Quantize(ctx: CpuContext, runtime: WasmRuntime, x: Tensor, output: QuantParams, y: CpuQuantizedTensor): void {
  const { scale, zeroPoint } = checkQuantParams('quantize', 'params', output);
  const nan = firstNaN(ctx.hostData('quantize', 'x', x));
  if (nan >= 0) throw new ValueError('quantize', 'x', `x must not hold NaN (it has no int8 value), got NaN at index ${nan}`);
  const size = y.size;
  const work = size * QUANTIZE_WORK;
  runtime.prepare(work);
  const input = ctx.input('quantize', 'x', x);
  try {
    const heap = ctx.heap;
    writeSlots(heap.ints(), heap.floats(), runtime.job, {
      kernel: WasmKernel.int8Quantize,
      x: input.address,
      y: y.address,
      outputZeroPoint: zeroPoint,
    });
    // The scale as float32, in the float slot the kernel reads it from.
    heap.floats()[floatIndex(runtime.job) + JobSlot.clampLow] = scale;
    runtime.launch('quantize', size, QUANTIZE_GRANULE, work);
  } finally {
    input.release();
  }
}
