import type { BinaryGeometry, BinaryKernelInputs, ConvActivation, Tensor } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuTensor } from '../cpu-tensor.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { BinaryOp, WasmKernel } from '../wasm/job-layout.js';
import { writeSlots } from '../wasm/write-job.js';
import { ELEMENT_WORK, wasmActivationSupports } from './wasm-activation.js';

/**
 * How the binary kernel reads one operand: element `(image, pixel, channel)` of the result
 * (viewed as `[images, pixels, channels]`) is at `image·imageStride + pixel·pixelStride +
 * channel·channelStep` floats from the operand's start.
 */
interface OperandWalk {
  readonly imageStride: number;
  readonly pixelStride: number;
  readonly channelStep: 0 | 1;
}

/** The result as `[images, pixels, channels]`: the first axis, the middle ones, the last. */
export interface BinaryRows {
  readonly images: number;
  readonly pixels: number;
  readonly channels: number;
  readonly a: OperandWalk;
  readonly b: OperandWalk;
}

/**
 * One operand's walk, when its broadcast strides fit the kernel's form: the last axis read
 * contiguously or broadcast, the middle axes all broadcast or all contiguous above the last
 * (`[N, 1, 1, C]`, `[C]`, equal shapes, a scalar); `undefined` for any other broadcast.
 * Axes of size 1 in the result do not matter.
 */
function operandWalk(shape: readonly number[], strides: readonly number[], channels: number): OperandWalk | undefined {
  const rank = shape.length;
  if (rank === 0) return { imageStride: 0, pixelStride: 0, channelStep: 1 };
  const last = strides[rank - 1]!;
  if (channels > 1 && last !== 0 && last !== 1) return undefined;
  const channelStep = channels === 1 || last === 1 ? 1 : 0;
  let middle: 'broadcast' | 'contiguous' | undefined;
  let expected = channels;
  for (let axis = rank - 2; axis >= 1; axis--) {
    const dim = shape[axis]!;
    if (dim === 1) continue;
    const kind = strides[axis] === 0 ? 'broadcast' : channelStep === 1 && strides[axis] === expected ? 'contiguous' : undefined;
    if (kind === undefined || (middle !== undefined && middle !== kind)) return undefined;
    middle = kind;
    expected *= dim;
  }
  const pixelStride = middle === 'contiguous' ? channels : 0;
  const imageStride = rank >= 2 && shape[0]! > 1 ? strides[0]! : 0;
  return { imageStride, pixelStride, channelStep };
}

/** The kernel's view of `g`, or `undefined` when an operand's broadcast is not one the kernel walks (the reference loop runs it). */
export function binaryRows(g: BinaryGeometry): BinaryRows | undefined {
  const rank = g.shape.length;
  const channels = rank === 0 ? 1 : g.shape[rank - 1]!;
  const images = rank >= 2 ? g.shape[0]! : 1;
  const pixels = images * channels === 0 ? 0 : g.size / (images * channels);
  const a = operandWalk(g.shape, g.aStrides, channels);
  const b = operandWalk(g.shape, g.bStrides, channels);
  if (a === undefined || b === undefined || (a.channelStep === 0 && b.channelStep === 0)) return undefined;
  return { images, pixels, channels, a, b };
}

/** Whether the wasm kernel runs `g`: a broadcast it walks and an activation its epilogue has. */
export function wasmBinarySupports(g: BinaryGeometry): boolean {
  return wasmActivationSupports(g.activation) && binaryRows(g) !== undefined;
}

/**
 * `a op b` with the broadcasts MobileNets use (residual adds of equal shapes, SE's `[N, H, W, C]`
 * × `[N, 1, 1, C]`, per-channel and scalar constants), then the activation, in float32 (IEEE
 * add/sub/mul/div are what the float64 reference rounds to). Rows of the result (one pixel's
 * channels) split among threads. `g` must satisfy {@link wasmBinarySupports}.
 */
export function wasmBinary(ctx: CpuContext, runtime: WasmRuntime, { a, b, geometry: g }: BinaryKernelInputs<Tensor>, y: CpuTensor): void {
  const rows = binaryRows(g)!;
  const work = g.size * ELEMENT_WORK;
  runtime.prepare(work);
  const aInput = ctx.input(g.op, 'a', a);
  try {
    const bInput = ctx.input(g.op, 'b', b);
    try {
      writeSlots(
        ctx.heap.ints(),
        ctx.heap.floats(),
        runtime.job,
        {
          kernel: WasmKernel.binary,
          x: aInput.address,
          w: bInput.address,
          y: y.address,
          batch: rows.images,
          inHeight: rows.pixels,
          inChannels: rows.channels,
          // The slots assembly/binary.ts reads each operand's walk from.
          strideHeight: rows.a.imageStride,
          strideWidth: rows.a.pixelStride,
          dilationHeight: rows.a.channelStep,
          dilationWidth: rows.b.imageStride,
          padTop: rows.b.pixelStride,
          padLeft: rows.b.channelStep,
          kernelHeight: BinaryOp[g.op],
        },
        g.activation as ConvActivation,
      );
      runtime.launch(g.op, rows.images * rows.pixels, 1, work);
    } finally {
      bInput.release();
    }
  } finally {
    aInput.release();
  }
}
