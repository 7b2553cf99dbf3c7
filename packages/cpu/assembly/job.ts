// Word offsets of a job record in linear memory. The TypeScript side writes jobs with the
// same offsets (src/wasm/job-layout.ts); keep the two lists identical.
export const KERNEL = 0;
export const X = 1;
export const W = 2;
export const Y = 3;
export const BATCH = 4;
export const IN_HEIGHT = 5;
export const IN_WIDTH = 6;
export const IN_CHANNELS = 7;
export const MULTIPLIER = 8;
export const OUT_HEIGHT = 9;
export const OUT_WIDTH = 10;
export const OUT_CHANNELS = 11;
export const KERNEL_HEIGHT = 12;
export const KERNEL_WIDTH = 13;
export const STRIDE_HEIGHT = 14;
export const STRIDE_WIDTH = 15;
export const DILATION_HEIGHT = 16;
export const DILATION_WIDTH = 17;
export const PAD_TOP = 18;
export const PAD_LEFT = 19;
export const CLAMP_LOW = 20;
export const CLAMP_HIGH = 21;
export const ZERO = 22;
export const SCRATCH = 23;
export const SCRATCH_STRIDE = 24;
export const POINTWISE_W = 25;
export const POINTWISE_CHANNELS = 26;
export const POINTWISE_CLAMP_LOW = 27;
export const POINTWISE_CLAMP_HIGH = 28;
export const DEPTHWISE_KERNEL = 29;

// Kernel ids (the value at KERNEL).
export const DWCONV_GENERIC = 1;
export const DWCONV_3X3S1 = 2;
export const DWCONV_3X3S2 = 3;
export const GEMM = 4;
export const IGEMM = 5;
export const SEPCONV_FUSED = 6;
export const TRAP = 7;

@inline export function geti(job: usize, slot: i32): i32 {
  return load<i32>(job + (<usize>slot << 2));
}

@inline export function getp(job: usize, slot: i32): usize {
  return <usize>load<u32>(job + (<usize>slot << 2));
}

@inline export function getf(job: usize, slot: i32): f32 {
  return load<f32>(job + (<usize>slot << 2));
}
