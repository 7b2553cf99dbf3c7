import type { Conv2dGeometry, ConvActivation } from '@sepconv/tensor';
import { JOB_WORDS, JobSlot } from './job-layout.js';
import { floatIndex } from '../heap.js';

/** The `[low, high]` clamp that implements an activation: ReLU is [0, ∞), ReLU6 [0, 6]. */
export function clampRange(activation: ConvActivation): [number, number] {
  if (activation === 'relu') return [0, Number.POSITIVE_INFINITY];
  if (activation === 'relu6') return [0, 6];
  return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
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
  const [low, high] = clampRange(g.activation);
  floats[base + JobSlot.clampLow] = low;
  floats[base + JobSlot.clampHigh] = high;
  ints[base + JobSlot.zero] = addresses.zero ?? 0;
  ints[base + JobSlot.scratch] = addresses.scratch ?? 0;
  ints[base + JobSlot.scratchStride] = addresses.scratchStride ?? 0;
}
