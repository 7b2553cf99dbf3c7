import { checkQuantParams, isHostTensor, ValueError, type QuantParams, type Tensor } from '@sepconv/tensor';
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

/**
 * The reference's error for a NaN in `x`, with the index of the first where the data is still at
 * hand (a host tensor; a heap tensor's block may have been reused by then).
 */
function nanError(x: Tensor): ValueError {
  const index = isHostTensor(x) ? x.data.findIndex(Number.isNaN) : -1;
  const where = index >= 0 ? `got NaN at index ${index}` : 'got NaN';
  return new ValueError('quantize', 'x', `x must not hold NaN (it has no int8 value), ${where}`);
}

/**
 * `quantize` of float tensor `x` into int8 `y`, bit for bit as `quantizeValues` (see
 * assembly/int8-quantize.ts), elements split among threads. A NaN is found by the kernel, which
 * flags it in its job record: the queue then throws the reference's ValueError from the call
 * that runs it (a read, usually) and marks `y` unfinished, so reading it throws that error too.
 */
export function wasmInt8Quantize(ctx: CpuContext, runtime: WasmRuntime, x: Tensor, output: QuantParams, y: CpuQuantizedTensor): void {
  const { scale, zeroPoint } = checkQuantParams('quantize', 'params', output);
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
    const job = floatIndex(runtime.job);
    heap.floats()[job + JobSlot.clampLow] = scale;
    // The record stays put until the queue has run and the checks have read it.
    runtime.launch('quantize', size, QUANTIZE_GRANULE, work, () => (heap.ints()[job + JobSlot.clampHigh] !== 0 ? nanError(x) : undefined));
  } finally {
    input.release();
  }
}
