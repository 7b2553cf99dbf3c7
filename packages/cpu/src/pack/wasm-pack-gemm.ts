import type { CpuContext } from '../cpu-context.js';
import { floatIndex } from '../heap.js';
import { ELEMENT_WORK } from '../kernels/wasm-activation.js';
import { GEMM_NR, WasmKernel } from '../wasm/job-layout.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { writeSlots } from '../wasm/write-job.js';

/** What GEMM packing reads: the filter `[taps·inChannels, outChannels]`, and per output channel an optional scale and bias. */
export interface GemmPackSource {
  readonly filter: Float32Array;
  readonly scale: Float32Array | undefined;
  readonly bias: Float32Array | undefined;
}

/**
 * Packs what `read()` gives as `packGemm` does (same layout, same bits), in WebAssembly on the
 * pool's threads, panels split among them: the filter, scale and bias are copied into a staging
 * block of the heap (one native copy), and a `packGemm` job that writes the panels at byte
 * address `packed` runs with the jobs queued before it (one pool submission), before this
 * returns: the staging block is then free for the next layer's filter, and a model's first
 * predict finds nothing of instantiate's left in the queue.
 *
 * Why not JavaScript: packing runs once per model, so V8 meets the loop cold (interpreted, then
 * replaced on the stack mid-loop): MobileNetV1's 4.2M pointwise weights took about 2.5× the CPU
 * time of a warm pass, and on one thread. The wasm loop is compiled with the module.
 * @param read called once the staging block is allocated (a view of the heap taken before an
 * allocation would be detached by it).
 */
export function wasmPackGemm(
  ctx: CpuContext,
  runtime: WasmRuntime,
  op: string,
  read: () => GemmPackSource,
  taps: number,
  inChannels: number,
  outChannels: number,
  packed: number,
): void {
  const weights = taps * inChannels * outChannels;
  const work = weights * ELEMENT_WORK;
  runtime.prepare(work);
  const staging = ctx.heap.allocHost((weights + 2 * outChannels) * 4, op);
  try {
    const { filter, scale, bias } = read();
    const floats = ctx.heap.floats();
    const at = floatIndex(staging);
    floats.set(filter, at);
    if (scale) floats.set(scale, at + weights);
    if (bias) floats.set(bias, at + weights + outChannels);
    writeSlots(ctx.heap.ints(), floats, runtime.job, {
      kernel: WasmKernel.packGemm,
      w: staging,
      y: packed,
      scale: scale ? staging + weights * 4 : 0,
      bias: bias ? staging + (weights + outChannels) * 4 : 0,
      kernelHeight: taps,
      kernelWidth: 1,
      inChannels,
      outChannels,
    });
    runtime.launch(op, Math.ceil(outChannels / GEMM_NR), 1, work);
    runtime.flush();
  } finally {
    ctx.heap.release(staging);
  }
}
