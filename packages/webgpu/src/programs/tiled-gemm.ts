import type { Activation } from '@sepconv/tensor';
import { dispatchGrid, WGSL_WORKGROUP_INDEX, wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram, UniformField } from '../gpu-program.js';
import { ACTIVATION_CODES, wgslActivation } from '../wgsl-activation.js';
import { wgslHeader } from '../wgsl-header.js';

/** Rows (output pixels) of C per workgroup tile. */
export const GEMM_TILE_M = 64;
/** Columns (output channels) of C per workgroup tile; 64 covers most MobileNet widths in one or a few tiles. */
export const GEMM_TILE_N = 64;
/** Depth of one staged slice of A and B: 2 × 64 × 16 floats = 8 KiB of workgroup memory, half the guaranteed 16 KiB. */
export const GEMM_TILE_K = 16;
/**
 * Invocations per tile edge: 16×16 = 256 (WebGPU's guaranteed maximum), each computing a
 * 4×4 block of C, so every staged A value is used 4 times and every B value (a `vec4`) 4 times
 * from registers.
 */
export const GEMM_THREADS = 16;
/** Outputs per invocation along each axis. */
export const GEMM_BLOCK = GEMM_TILE_M / GEMM_THREADS;

/**
 * True when at least half of a tile's {@link GEMM_TILE_M} rows are real rows of C. Below that
 * (a one-pixel classifier has M = batch) the tiled GEMM stages and multiplies mostly zero
 * padding — 63/64 of its work at M = 1 — in only ⌈N / 64⌉ workgroups, on any GPU; variants
 * built on it are not offered for such shapes where the register-blocked kernel runs them.
 * Measured on SwiftShader, 1×1×1024 → 1000: 400–2900 ms a call against 30–60 ms.
 */
export function gemmTileMostlyFilled(m: number): boolean {
  return 2 * m >= GEMM_TILE_M;
}

/** What distinguishes one GEMM-shaped program from another: how it reads A, and its epilogue. */
export interface TiledGemmSpec {
  readonly name: string;
  /** Compile-time facts of the A loader (the cache key is the name and this). */
  readonly loaderKey: string;
  /** Inputs the loader reads, in binding order; the B matrix and `bias` follow. */
  readonly loaderInputs: readonly string[];
  /** Element types of the loader's inputs, default `f32`. */
  readonly loaderTypes?: Readonly<Record<string, string>>;
  /** Name of the `[K, N]` row-major B input. */
  readonly bInput: string;
  /** Uniform fields the loader reads (besides `M`, `N`, `K`, `tilesM`, `tilesN`, `activation`, `hasBias`). */
  readonly loaderUniforms: readonly UniformField[];
  /** WGSL defining `fn loadA(row: i32, k: i32) -> f32`, called only with `row < M` and `k < K`. */
  readonly loaderWgsl: string;
  /** Whether the epilogue adds `bias[n]` (a run-time flag; the binding is always there). */
  readonly hasBias: boolean;
  /** The epilogue activation (a run-time code, see ACTIVATION_CODES). */
  readonly activation: Activation;
  /** C is `[M, N]`: M output pixels, N output channels, K the reduction length. */
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

/**
 * A tiled matrix product `y[M, N] = act(A[M, K] · B[K, N] + bias[N])` in workgroup memory:
 * 64×64 tiles of C, slices of 16 along K staged for A and B, 4×4 outputs per invocation.
 * A is whatever the spec's loader says (a plain NHWC activation for pointwise, an implicit
 * im2col for conv2d, a depthwise convolution computed on the fly for fused separable), which
 * is what lets one skeleton serve three kernels.
 */
export function tiledGemmProgram(spec: TiledGemmSpec): GpuProgram {
  const tilesM = Math.ceil(spec.m / GEMM_TILE_M);
  const tilesN = Math.ceil(spec.n / GEMM_TILE_N);
  const uniforms: UniformField[] = [
    { name: 'M', value: spec.m },
    { name: 'N', value: spec.n },
    { name: 'K', value: spec.k },
    { name: 'tilesM', value: tilesM },
    { name: 'tilesN', value: tilesN },
    { name: 'activation', value: ACTIVATION_CODES[spec.activation] },
    { name: 'hasBias', value: spec.hasBias ? 1 : 0 },
    ...spec.loaderUniforms,
  ];
  const inputs = [...spec.loaderInputs, spec.bInput, 'bias'];
  const threads = GEMM_THREADS * GEMM_THREADS;
  const uniformNames = uniforms.map((u) => u.name);
  return {
    name: spec.name,
    cacheKey: `${spec.name}:${spec.loaderKey}`,
    workgroupSize: [threads, 1, 1],
    inputs,
    dispatch: () => dispatchGrid(tilesM * tilesN),
    uniforms: () => uniforms,
    wgsl: () => `${wgslHeader({ inputs }, uniformNames, spec.loaderTypes)}
${wgslActivation('activate', 'f32')}
${spec.loaderWgsl}

fn loadB(k: i32, n: i32) -> f32 {
  if (k >= params.K || n >= params.N) { return 0.0; }
  return ${spec.bInput}[k * params.N + n];
}

var<workgroup> tileA: array<f32, ${GEMM_TILE_M * GEMM_TILE_K}>;
var<workgroup> tileB: array<vec4<f32>, ${(GEMM_TILE_K * GEMM_TILE_N) / 4}>;

// Legend: tm/tn tile of C, tx/ty invocation in the tile, k0 slice start along K,
// kk position in the slice, i/j row/column of the invocation's 4×4 block.
${wgslComputeMain(threads)}
  let tileIndex = ${WGSL_WORKGROUP_INDEX};
  let tn = tileIndex % params.tilesN;
  let tm = tileIndex / params.tilesN;
  if (tm >= params.tilesM) { return; }
  let tx = i32(local) % ${GEMM_THREADS};
  let ty = i32(local) / ${GEMM_THREADS};
  let rowBase = tm * ${GEMM_TILE_M};
  let colBase = tn * ${GEMM_TILE_N};
  var acc: array<vec4<f32>, ${GEMM_BLOCK}>;
  for (var k0 = 0; k0 < params.K; k0 += ${GEMM_TILE_K}) {
    for (var i = 0; i < ${(GEMM_TILE_M * GEMM_TILE_K) / threads}; i++) {
      let e = i32(local) + i * ${threads};
      let row = rowBase + e / ${GEMM_TILE_K};
      let k = k0 + e % ${GEMM_TILE_K};
      var a = 0.0;
      if (row < params.M && k < params.K) { a = loadA(row, k); }
      tileA[e] = a;
    }
    for (var i = 0; i < ${(GEMM_TILE_K * GEMM_TILE_N) / 4 / threads}; i++) {
      let e = i32(local) + i * ${threads};
      let k = k0 + e / ${GEMM_TILE_N / 4};
      let n = colBase + (e % ${GEMM_TILE_N / 4}) * 4;
      tileB[e] = vec4<f32>(loadB(k, n), loadB(k, n + 1), loadB(k, n + 2), loadB(k, n + 3));
    }
    workgroupBarrier();
    for (var kk = 0; kk < ${GEMM_TILE_K}; kk++) {
      let b = tileB[kk * ${GEMM_TILE_N / 4} + tx];
      for (var i = 0; i < ${GEMM_BLOCK}; i++) {
        acc[i] = acc[i] + tileA[(ty * ${GEMM_BLOCK} + i) * ${GEMM_TILE_K} + kk] * b;
      }
    }
    workgroupBarrier();
  }
  for (var i = 0; i < ${GEMM_BLOCK}; i++) {
    let row = rowBase + ty * ${GEMM_BLOCK} + i;
    if (row >= params.M) { break; }
    for (var j = 0; j < 4; j++) {
      let n = colBase + tx * 4 + j;
      if (n < params.N) {
        var v = acc[i][j];
        if (params.hasBias != 0) { v = v + bias[n]; }
        y[row * params.N + n] = activate(v, params.activation);
      }
    }
  }
}
`,
  };
}
