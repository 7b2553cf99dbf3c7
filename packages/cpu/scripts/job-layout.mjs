// The one source of the constants TypeScript (src/) and AssemblyScript (assembly/) share:
// the word offsets of a job record, the kernel ids the wasm `run` entry dispatches on, and the
// micro-kernel tiles. scripts/generate.mjs writes them to src/generated/job-layout.ts
// (camelCase, as `JobSlot`/`WasmKernel` objects) and assembly/generated/job-layout.ts
// (UPPER_SNAKE constants); neither side writes them by hand.

/** Word offsets of a job record in linear memory (one 32-bit word each). */
export const jobSlots = {
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
  // int8 kernels: the output zero point and the activation clamp (int8 values) of the step
  // they run, and for the fused separable kernel those of its pointwise step.
  outputZeroPoint: 30,
  activationMin: 31,
  activationMax: 32,
  pointwiseOutputZeroPoint: 33,
  pointwiseActivationMin: 34,
  pointwiseActivationMax: 35,
  /** Which {@link epilogues} entry follows the clamp; for a separable job, the depthwise step's. */
  epilogue: 36,
  /** A separable job's pointwise epilogue. */
  pointwiseEpilogue: 37,
  /**
   * A pointwise GEMM job: 1 when a share `[start, end)` counts output-channel panels
   * (GEMM_NR channels each, every pixel), 0 when it counts output pixels (every channel).
   */
  splitColumns: 38,
  /**
   * A fused separable job: output-channel slices of each row group from `slicedGroup` on (0 or
   * 1: none sliced). A share `[start, end)` counts the groups before `slicedGroup` whole, then
   * (row group, slice) pairs, group-major.
   */
  columnSlices: 39,
  /** A fused separable job: the first row group split into `columnSlices` slices. */
  slicedGroup: 40,
  /**
   * A convolution job: the address of `options.residual` (laid out as the output, added after
   * the bias and before the clamp and epilogue), or 0 for none. Read by the GEMM kernels
   * (pointwise, indirect, the fused separable kernel's pointwise step).
   */
  residual: 41,
  /** A weight-packing job: the address of the per-output-channel bias to pack, or 0 (zeros). */
  bias: 42,
  /** A weight-packing job: the address of a per-output-channel float32 scale each weight is multiplied by (a folded batch norm), or 0 (none). */
  scale: 43,
};

/** Words a job record occupies (room to spare after the last slot). */
export const jobWords = 48;

/** Kernel ids understood by the wasm `run` entry point (the value at slot `kernel`); 0 is never valid. */
export const wasmKernels = {
  dwconvGeneric: 1,
  dwconv3x3s1: 2,
  dwconv3x3s2: 3,
  gemm: 4,
  igemm: 5,
  sepconvFused: 6,
  /** Traps on purpose on worker threads: lets tests check that a worker's failure surfaces as an error. */
  trap: 7,
  int8Dwconv: 8,
  int8Gemm: 9,
  int8Igemm: 10,
  int8SepconvFused: 11,
  directConv: 12,
  /** Element-wise activation of a flat span (the `activation` op, and the epilogues below). */
  activation: 13,
  /** Element-wise binary op of two equal-shaped operands, or an operand and a per-channel vector. */
  binary: 14,
  /** Global average pooling over height and width, NHWC. */
  globalAvgPool: 15,
  /** int8 addition of two equal-shaped tensors (TensorFlow Lite's ADD requantization). */
  int8Add: 16,
  /** float32 → int8 quantization of a flat span. */
  int8Quantize: 17,
  /** int8 pointwise GEMM on i32x4.relaxed_dot_i8x16_i7x16_add_s (relaxed build; run only where the exactness probe passes). */
  int8GemmRelaxedDot: 18,
  /** int8 multiplication (TensorFlow Lite's MUL), equal shapes or a broadcast row/gate/scalar operand. */
  int8Mul: 19,
  /** int8 → int8 lookup of a flat span through a 256-entry table. */
  int8Lookup: 20,
  /** Depthwise 5×5, stride 1 / 2, dilation 1, multiplier 1 (assembly/dwconv-5x5.ts). */
  dwconv5x5s1: 21,
  dwconv5x5s2: 22,
  /** Pointwise GEMM for few input channels (assembly/gemm-narrow.ts); the job is `gemm`'s. */
  gemmNarrow: 23,
  /** Packs a float filter and its bias into the GEMM panels (assembly/pack-gemm.ts; the layout of src/pack/pack-gemm.ts). */
  packGemm: 24,
};

/**
 * What a convolution's epilogue applies after the clamp (slot `epilogue`), and the standalone
 * activation kernel's function. 0 is a clamp alone (linear, ReLU, ReLU6).
 */
export const epilogues = {
  clamp: 0,
  hardSigmoid: 1,
  hardSwish: 2,
};

/** The binary kernel's operations (slot `kernelHeight` of a binary job: see src/kernels/wasm-binary.ts). */
export const binaryOps = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
};

/** Micro-kernel tiles both sides size work and packing by. */
export const tiles = {
  /** Rows of the GEMM micro-kernel; work is split in multiples of it. */
  gemmMr: 4,
  /** Output channels of the GEMM micro-kernel's tile (one packed panel, two f32x4). */
  gemmNr: 8,
  /** Channels of a packed depthwise block (one f32x4). */
  dwconvChannelTile: 4,
  /** Rows of the int8 GEMM micro-kernel. */
  int8GemmMr: 4,
  /** Output channels of an int8 GEMM panel. */
  int8GemmNr: 8,
  /** Input channels an int8 GEMM panel is padded to a multiple of (one v128.load8x8_s). */
  int8GemmKr: 8,
  /** Channels of a packed int8 depthwise block (sixteen int8 lanes). */
  int8DwconvChannelTile: 16,
};
