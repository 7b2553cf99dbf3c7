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

/** Whether an operand reads every element of the result in order (its strides are the result's row-major ones, size-1 axes aside). */
function readsInOrder(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    if (shape[axis]! > 1 && strides[axis] !== expected) return false;
    expected *= shape[axis]!;
  }
  return true;
}

/** Rows shorter than this many channels are merged with their neighbours where the operands allow (see {@link mergeRows}). */
const SHORT_ROW = 8;

/**
 * `g` with its last two axes merged into one row when its rows are short (fewer than
 * {@link SHORT_ROW} channels) and each operand reads the result in order or is one value: a row
 * per pixel of a 3-channel image (a model's input scaling, `x · s + o`) cost the kernel a call
 * and a partial vector every 3 elements. Longer rows stay as they are, so threads keep one row
 * per pixel to share. Other geometries are returned as they are.
 */
function mergeRows(g: BinaryGeometry): Pick<BinaryGeometry, 'shape' | 'size' | 'aStrides' | 'bStrides'> {
  const rank = g.shape.length;
  const fits = (strides: readonly number[]): boolean => strides.every((s) => s === 0) || readsInOrder(g.shape, strides);
  if (rank < 3 || g.shape[rank - 1]! >= SHORT_ROW || !fits(g.aStrides) || !fits(g.bStrides)) return g;
  const shape = [...g.shape.slice(0, rank - 2), g.shape[rank - 2]! * g.shape[rank - 1]!];
  const merged = (strides: readonly number[]): number[] => [...strides.slice(0, rank - 2), strides[rank - 1]!];
  return { shape, size: g.size, aStrides: merged(g.aStrides), bStrides: merged(g.bStrides) };
}

/** The kernel's view of `g`, or `undefined` when an operand's broadcast is not one the kernel walks (the reference loop runs it). */
export function binaryRows(geometry: BinaryGeometry): BinaryRows | undefined {
  const g = mergeRows(geometry);
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
