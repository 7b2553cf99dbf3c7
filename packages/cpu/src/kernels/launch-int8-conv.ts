import type { Conv2dGeometry, ConvRequantization } from '@sepconv/tensor';
import { floatIndex } from '../heap.js';
import { int8GemmReduction } from '../pack/pack-int8-gemm.js';
import { INT8_GEMM_KR, INT8_GEMM_MR, JobSlot, WasmKernel } from '../wasm/job-layout.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { writeJob } from '../wasm/write-job.js';

/** Heap byte addresses of an int8 convolution: NHWC int8 input and output, packed weights. */
export interface Int8ConvAddresses {
  readonly x: number;
  readonly w: number;
  readonly y: number;
}

/** Writes the int8 epilogue of a job: output zero point and activation clamp at the given slots. */
export function writeInt8Epilogue(
  ints: Int32Array,
  job: number,
  r: Pick<ConvRequantization, 'outputZeroPoint' | 'activationMin' | 'activationMax'>,
  slots: { zeroPoint: number; min: number; max: number } = {
    zeroPoint: JobSlot.outputZeroPoint,
    min: JobSlot.activationMin,
    max: JobSlot.activationMax,
  },
): void {
  const base = floatIndex(job);
  ints[base + slots.zeroPoint] = r.outputZeroPoint;
  ints[base + slots.min] = r.activationMin;
  ints[base + slots.max] = r.activationMax;
}

/**
 * A buffer of `bytes` bytes (plus vector slack) holding `zeroPoint`: what padding taps read, so
 * that the `−inputZeroPoint·Σw` folded into the bias cancels them. `release()` frees it.
 */
export function zeroPointBuffer(runtime: WasmRuntime, op: string, zeroPoint: number, bytes: number): { address: number; release(): void } {
  const heap = runtime.heap;
  const size = bytes + 64;
  // Written by the host now: allocHost keeps it clear of blocks queued jobs may still read.
  const address = heap.allocHost(size, op);
  new Int8Array(heap.memory.buffer, address, size).fill(zeroPoint);
  return { address, release: () => heap.release(address) };
}

/**
 * Bytes of the int16 activation panel the int8 GEMM kernels widen one 4-row tile into
 * (assembly/int8-gemm.ts): 4 rows × `taps` × `inChannels` rounded up to 8, two bytes each; for
 * taps packed densely (`int8GemmReduction`), 4 rows × `taps·inChannels` rounded up to 8, two bytes
 * each, then the 4 rows gathered as bytes (8 bytes of slack each).
 */
export function int8ActivationPanelBytes(taps: number, inChannels: number): number {
  const reduction = int8GemmReduction(taps, inChannels);
  const k8 = Math.ceil(reduction.inChannels / INT8_GEMM_KR) * INT8_GEMM_KR;
  const gathered = reduction.taps < taps ? INT8_GEMM_MR * (k8 + 8) : 0;
  return INT8_GEMM_MR * reduction.taps * k8 * 2 + gathered;
}

/**
 * Runs an int8 convolution kernel (`WasmKernel.int8Gemm`, `int8GemmRelaxedDot`, `int8Igemm` or `int8Dwconv`) on
 * geometry `g` with requantization `r` over weights packed for it (pack-int8-gemm.ts,
 * pack-int8-depthwise.ts): GEMM kernels split output pixels in multiples of the micro-kernel's
 * rows, the depthwise kernel splits output rows.
 */
export function launchInt8Conv(
  runtime: WasmRuntime,
  op: string,
  kernel: number,
  g: Conv2dGeometry,
  r: ConvRequantization,
  addresses: Int8ConvAddresses,
): void {
  const taps = g.kernelHeight * g.kernelWidth;
  const depthwise = kernel === WasmKernel.int8Dwconv;
  const pixels = g.batch * g.outHeight * g.outWidth;
  const work = pixels * taps * g.outChannels * (depthwise ? 1 : g.inChannels);
  runtime.prepare(work);
  // GEMM scratch (assembly/int8-gemm.ts): QMR row addresses per tap to a 64-byte boundary, then the activation panel.
  const scratch = runtime.scratch(
    op,
    depthwise ? taps * 4 : Math.ceil((INT8_GEMM_MR * taps * 4) / 64) * 64 + int8ActivationPanelBytes(taps, g.inChannels),
  );
  const padBytes = depthwise ? g.inChannels + 16 : Math.ceil(g.inChannels / INT8_GEMM_KR) * INT8_GEMM_KR;
  const inPlace = kernel === WasmKernel.int8Gemm || kernel === WasmKernel.int8GemmRelaxedDot;
  const padding = inPlace ? undefined : zeroPointBuffer(runtime, op, r.inputZeroPoint, padBytes);
  try {
    const heap = runtime.heap;
    writeJob(heap.ints(), heap.floats(), runtime.job, g, {
      kernel,
      x: addresses.x,
      w: addresses.w,
      y: addresses.y,
      zero: padding?.address ?? 0,
      scratch: scratch.address,
      scratchStride: scratch.stride,
    });
    writeInt8Epilogue(heap.ints(), runtime.job, r);
    if (depthwise) runtime.launch(op, g.batch * g.outHeight, 1, work);
    else runtime.launch(op, pixels, INT8_GEMM_MR, work);
  } finally {
    padding?.release();
  }
}
