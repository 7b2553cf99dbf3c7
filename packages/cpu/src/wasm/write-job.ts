import type { Conv2dGeometry, ConvActivation } from '@sepconv/tensor';
import { Epilogue, JOB_WORDS, JobSlot } from './job-layout.js';
import { floatIndex } from '../heap.js';

/**
 * How the wasm kernels apply each activation: a `[low, high]` clamp (ReLU is [0, ∞), ReLU6
 * [0, 6]), then an `Epilogue` function for the two a clamp cannot express.
 */
const EPILOGUES = {
  linear: { low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY, epilogue: Epilogue.clamp },
  relu: { low: 0, high: Number.POSITIVE_INFINITY, epilogue: Epilogue.clamp },
  relu6: { low: 0, high: 6, epilogue: Epilogue.clamp },
  hardSigmoid: { low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY, epilogue: Epilogue.hardSigmoid },
  hardSwish: { low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY, epilogue: Epilogue.hardSwish },
} satisfies Record<ConvActivation, { low: number; high: number; epilogue: number }>;

/** Writes the clamp and epilogue of `activation` into the job record at float index `base` (the pointwise slots when `pointwise`). */
export function writeEpilogue(ints: Int32Array, floats: Float32Array, base: number, activation: ConvActivation, pointwise = false): void {
  const { low, high, epilogue } = EPILOGUES[activation];
  floats[base + (pointwise ? JobSlot.pointwiseClampLow : JobSlot.clampLow)] = low;
  floats[base + (pointwise ? JobSlot.pointwiseClampHigh : JobSlot.clampHigh)] = high;
  ints[base + (pointwise ? JobSlot.pointwiseEpilogue : JobSlot.epilogue)] = epilogue;
}

/** Addresses a job reads and writes, in bytes. */
export interface JobAddresses {
  kernel: number;
  x: number;
  w: number;
  y: number;
  zero?: number;
  scratch?: number;
  scratchStride?: number;
  /** `options.residual` (the output's layout), for the kernels that add it; 0 or absent: none. */
  residual?: number | undefined;
}

/** Writes a job record for geometry `g` at byte address `job` of the memory behind `ints`/`floats`. */
export function writeJob(ints: Int32Array, floats: Float32Array, job: number, g: Conv2dGeometry, addresses: JobAddresses): void {
  const base = floatIndex(job);
  ints.fill(0, base, base + JOB_WORDS);
  ints[base + JobSlot.kernel] = addresses.kernel;
  ints[base + JobSlot.x] = addresses.x;
  ints[base + JobSlot.w] = addresses.w;
  ints[base + JobSlot.y] = addresses.y;
  ints[base + JobSlot.batch] = g.batch;
  ints[base + JobSlot.inHeight] = g.inHeight;
  ints[base + JobSlot.inWidth] = g.inWidth;
  ints[base + JobSlot.inChannels] = g.inChannels;
  ints[base + JobSlot.multiplier] = g.channelMultiplier;
  ints[base + JobSlot.outHeight] = g.outHeight;
  ints[base + JobSlot.outWidth] = g.outWidth;
  ints[base + JobSlot.outChannels] = g.outChannels;
  ints[base + JobSlot.kernelHeight] = g.kernelHeight;
  ints[base + JobSlot.kernelWidth] = g.kernelWidth;
  ints[base + JobSlot.strideHeight] = g.strideHeight;
  ints[base + JobSlot.strideWidth] = g.strideWidth;
  ints[base + JobSlot.dilationHeight] = g.dilationHeight;
  ints[base + JobSlot.dilationWidth] = g.dilationWidth;
  ints[base + JobSlot.padTop] = g.padTop;
  ints[base + JobSlot.padLeft] = g.padLeft;
  writeEpilogue(ints, floats, base, g.activation);
  ints[base + JobSlot.zero] = addresses.zero ?? 0;
  ints[base + JobSlot.scratch] = addresses.scratch ?? 0;
  ints[base + JobSlot.scratchStride] = addresses.scratchStride ?? 0;
  ints[base + JobSlot.residual] = addresses.residual ?? 0;
}

/**
 * Writes a job record of an element-wise kernel at byte address `job`: every slot zero but
 * those in `slots` (integers and addresses); the activation's clamp and epilogue where given.
 */
export function writeSlots(
  ints: Int32Array,
  floats: Float32Array,
  job: number,
  slots: Partial<Record<keyof typeof JobSlot, number>>,
  activation?: ConvActivation,
): void {
  const base = floatIndex(job);
  ints.fill(0, base, base + JOB_WORDS);
  for (const [slot, value] of Object.entries(slots)) ints[base + JobSlot[slot as keyof typeof JobSlot]] = value;
  if (activation !== undefined) writeEpilogue(ints, floats, base, activation);
}
