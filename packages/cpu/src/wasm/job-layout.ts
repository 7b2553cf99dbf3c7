/**
 * Word offsets of a job record in linear memory and the kernel ids, mirroring
 * `assembly/job.ts` (the two lists must stay identical; `test/job-layout.test.ts` checks the
 * offsets against that file).
 */
export const JobSlot = {
  kernel: 0,
  x: 1,
  w: 2,
  y: 3,
  batch: 4,
  inHeight: 5,
  inWidth: 6,
  inChannels: 7,
  multiplier: 8,
  outHeight: 9,
  outWidth: 10,
  outChannels: 11,
  kernelHeight: 12,
  kernelWidth: 13,
  strideHeight: 14,
  strideWidth: 15,
  dilationHeight: 16,
  dilationWidth: 17,
  padTop: 18,
  padLeft: 19,
  clampLow: 20,
  clampHigh: 21,
  zero: 22,
  scratch: 23,
  scratchStride: 24,
  pointwiseW: 25,
  pointwiseChannels: 26,
  pointwiseClampLow: 27,
  pointwiseClampHigh: 28,
  depthwiseKernel: 29,
} as const;

/** Words a job record occupies. */
export const JOB_WORDS = 32;

/** Kernel ids understood by the wasm `run` entry point. */
export const WasmKernel = {
  dwconvGeneric: 1,
  dwconv3x3s1: 2,
  dwconv3x3s2: 3,
  gemm: 4,
  igemm: 5,
  sepconvFused: 6,
  /** Traps on purpose on worker threads: lets tests check that a worker's failure surfaces as an error. */
  trap: 7,
} as const;

/** Rows of the GEMM micro-kernel (`MR` in assembly/gemm.ts); work is split in multiples of it. */
export const GEMM_MR = 6;
/** Output channels of the GEMM micro-kernel's tile (one packed panel). */
export const GEMM_NR = 8;
/** Channels of a packed depthwise block (one f32x4). */
export const DWCONV_CHANNEL_TILE = 4;
