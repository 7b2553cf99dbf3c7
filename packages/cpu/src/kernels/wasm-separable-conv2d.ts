import type { Conv2dGeometry, SeparableKernelInputs, Tensor } from '@sepconv/tensor';
import type { CpuContext, HeapInput } from '../cpu-context.js';
import type { CpuTensor } from '../cpu-tensor.js';
import type { CpuSeparableVariant, WasmVariant } from '../variants.js';
import { GEMM_MR, GEMM_NR, JobSlot, WasmKernel } from '../wasm/job-layout.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { writeEpilogue, writeJob } from '../wasm/write-job.js';
import { packedDepthwise, packedGemm } from './packed-weights.js';
import { requireWasmRuntime } from './require-wasm-runtime.js';
import { floatIndex } from '../heap.js';

/**
 * Output rows the fused kernel runs per GEMM call: the fewest whose pixels are a multiple of
 * the micro-kernel's GEMM_MR rows (GEMM_MR / gcd(outWidth, GEMM_MR)), so no GEMM tile is padded
 * per row. The AssemblyScript kernel (assembly/sepconv.ts) applies the same rule; this one
 * sizes its scratch.
 */
function fusedRowGroup(outWidth: number): number {
  let [a, b] = [outWidth, GEMM_MR];
  while (b !== 0) [a, b] = [b, a % b];
  return GEMM_MR / a;
}

/**
 * Row groups per thread below which the fused kernel also splits row groups' output channels
 * among threads. In groups whose pixels fill whole 4-row GEMM tiles, MobileNet's 14×14 blocks
 * have 7 groups and its 7×7 blocks 2 (of 4 rows and 3): two threads got 4 groups and 3 (7/8 of
 * two threads' speed on the blocks that hold 63% of MobileNetV1's work).
 */
const MIN_ROW_GROUPS_PER_THREAD = 4;

/**
 * How threads share a fused call's `groups` row groups: `slices` output-channel slices (one per
 * thread, each at least 2 panels) of every group from `slicedGroup` on, the groups before it
 * whole. Only the groups left over after an equal number per thread are sliced (at 14×14, the
 * 7th), since a sliced group's depthwise rows run once per thread that takes a slice; with fewer
 * than two groups per thread (7×7: 4 rows and 3) every group is.
 */
function columnSlices(groups: number, panels: number, threads: number): { slices: number; slicedGroup: number } {
  const slices = Math.max(1, Math.min(threads, Math.floor(panels / 2)));
  if (threads === 1 || slices === 1 || groups >= MIN_ROW_GROUPS_PER_THREAD * threads) return { slices: 1, slicedGroup: groups };
  return { slices, slicedGroup: groups >= 2 * threads ? groups - (groups % threads) : 0 };
}

/**
 * Fused separable convolution: each thread takes groups of output rows (and, when they are few,
 * a slice of a group's output channels, see {@link columnSlices}); for each it runs the depthwise
 * step into its scratch (one row of the intermediate, outWidth × channels) and the pointwise
 * GEMM straight from there, so the intermediate tensor never goes to memory.
 */
export function wasmSeparableConv2d(
  ctx: CpuContext,
  variant: WasmVariant<CpuSeparableVariant>,
  { x, depthwiseFilter, pointwiseFilter, depthwiseBias, bias, residual, geometry }: SeparableKernelInputs<Tensor>,
  y: CpuTensor,
): void {
  const op = 'separableConv2d';
  const runtime = requireWasmRuntime(ctx, op, variant);
  const g = geometry.depthwise;
  const p = geometry.pointwise;
  const pixels = g.batch * g.outHeight * g.outWidth;
  const work = pixels * g.outChannels * (g.kernelHeight * g.kernelWidth + p.outChannels);
  runtime.prepare(work);
  const input = ctx.input(op, 'x', x);
  let added: HeapInput | undefined;
  try {
    const w = packedDepthwise(ctx, op, 'depthwiseFilter', depthwiseFilter, depthwiseBias, g);
    const pointwiseW = packedGemm(ctx, op, 'pointwiseFilter', pointwiseFilter, bias, p);
    // The depthwise step runs the wasm kernel dispatch picks for its geometry (generic when a JavaScript row is forced).
    const depthwise = ctx.select('depthwiseConv2d', g);
    // Added in the pointwise GEMM's store (assembly/gemm.ts storeEpilogue): after the bias, before the clamp.
    added = residual && ctx.input(op, 'options.residual', residual);
    const group = fusedRowGroup(g.outWidth);
    const { scratch, zero } = separableBuffers(runtime, op, g);
    const ints = ctx.heap.ints();
    const floats = ctx.heap.floats();
    const job = runtime.job;
    writeJob(ints, floats, job, g, {
      kernel: variant.wasmKernel,
      x: input.address,
      w,
      y: y.address,
      zero,
      scratch: scratch.address,
      scratchStride: scratch.stride,
      residual: added?.address,
    });
    const base = floatIndex(job);
    ints[base + JobSlot.pointwiseW] = pointwiseW;
    ints[base + JobSlot.pointwiseChannels] = p.outChannels;
    writeEpilogue(ints, floats, base, p.activation, true);
    ints[base + JobSlot.depthwiseKernel] = depthwise.wasmKernel ?? WasmKernel.dwconvGeneric;
    const groups = Math.ceil((g.batch * g.outHeight) / group);
    const { slices, slicedGroup } = columnSlices(groups, Math.ceil(p.outChannels / GEMM_NR), runtime.threads);
    ints[base + JobSlot.columnSlices] = slices;
    ints[base + JobSlot.slicedGroup] = slicedGroup;
    runtime.launch(op, slicedGroup + (groups - slicedGroup) * slices, 1, work);
  } finally {
    added?.release();
    input.release();
  }
}

/**
 * The per-thread scratch and the zero row {@link wasmSeparableConv2d} uses for depthwise
 * geometry `g`; `prepareWeights` reserves them too, so a first predict grows no buffer mid-queue.
 */
export function separableBuffers(
  runtime: WasmRuntime,
  op: string,
  g: Conv2dGeometry,
): { scratch: { address: number; stride: number }; zero: number } {
  // Scratch layout (assembly/sepconv.ts): MR row pointers, 64 bytes of gap, a group of intermediate rows.
  const group = fusedRowGroup(g.outWidth);
  const scratch = runtime.scratch(op, GEMM_MR * 4 + 64 + group * g.outWidth * g.outChannels * 4 + 64);
  return { scratch, zero: runtime.zeros(op, g.inWidth * g.inChannels * 4) };
}
