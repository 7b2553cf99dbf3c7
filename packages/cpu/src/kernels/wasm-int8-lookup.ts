import { HostQuantizedTensor, LOOKUP_TABLE_SIZE, type QuantizedLookupKernelInputs } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuQuantizedTensor } from '../cpu-quantized-tensor.js';
import { WasmKernel } from '../wasm/job-layout.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { writeSlots } from '../wasm/write-job.js';

/** Scratch per thread: one vector for a partial store at the end of a share (assembly/int8-lookup.ts). */
const LOOKUP_SCRATCH_BYTES = 16;
/** Elements per vector step of the kernel: threads split the elements in multiples of it. */
const LOOKUP_GRANULE = 16;
/** Work per element given to the thread-split heuristic: three vector ops per table chunk per 16 lanes. */
const LOOKUP_WORK = 3;

/**
 * `quantizedLookup` of int8 `x` into `y` through the table (see assembly/int8-lookup.ts:
 * sixteen `i8x16.swizzle`s per 16 elements), elements split among threads. The table is copied
 * into the heap for the queued job and released with it.
 */
export function wasmInt8Lookup(ctx: CpuContext, runtime: WasmRuntime, { x, table }: QuantizedLookupKernelInputs, y: CpuQuantizedTensor): void {
  const work = y.size * LOOKUP_WORK;
  runtime.prepare(work);
  const scratch = runtime.scratch('quantizedLookup', LOOKUP_SCRATCH_BYTES);
  const values = ctx.int8Input('quantizedLookup', 'table', new HostQuantizedTensor(table.values, [LOOKUP_TABLE_SIZE], table.output));
  try {
    const input = ctx.int8Input('quantizedLookup', 'x', x);
    try {
      // Read the job address only now: the inputs' allocations may have run the queue.
      writeSlots(ctx.heap.ints(), ctx.heap.floats(), runtime.job, {
        kernel: WasmKernel.int8Lookup,
        x: input.address,
        w: values.address,
        y: y.address,
        scratch: scratch.address,
        scratchStride: scratch.stride,
      });
      runtime.launch('quantizedLookup', y.size, LOOKUP_GRANULE, work);
    } finally {
      input.release();
    }
  } finally {
    values.release();
  }
}
