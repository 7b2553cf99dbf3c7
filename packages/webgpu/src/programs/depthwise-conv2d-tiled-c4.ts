import type { Conv2dGeometry } from '@sepconv/tensor';
import { dispatchGrid, WGSL_WORKGROUP_INDEX, wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { ACTIVATION_CODES, wgslActivation } from '../wgsl-activation.js';
import { wgslHeader } from '../wgsl-header.js';
import { CONV_WINDOW_UNIFORMS } from './conv-window-uniforms.js';

/**
 * Output tile edge: 8×8 outputs per workgroup, one invocation each (64 invocations, a
 * multiple of every SIMD width). A 3×3 stride-1 tile then reads a 10×10 patch, 1.56 loads
 * per output instead of 9.
 */
export const DEPTHWISE_TILE = 8;

/**
 * Largest staged patch edge. 24×24 vec4 = 9 KiB of workgroup memory, inside WebGPU's
 * guaranteed 16 KiB, and enough for 7×7 at stride 2, 5×5 at dilation 2 or 3×3 at stride 3.
 */
export const DEPTHWISE_MAX_PATCH = 24;

/** Channels per workgroup: one `vec4<f32>`, so each tap is a single 4-wide multiply-add. */
export const DEPTHWISE_CHANNELS_PER_GROUP = 4;

/** The variant name of {@link depthwiseConv2dTiledC4Program}. */
export const DEPTHWISE_TILED_C4_NAME = 'dwconv2d-nhwc-tiled-c4-f32';

const UNIFORMS = [
  'batch',
  'inHeight',
  'inWidth',
  'inChannels',
  'outHeight',
  'outWidth',
  ...CONV_WINDOW_UNIFORMS,
  'patchHeight',
  'patchWidth',
  'tilesX',
  'tilesY',
  'channelGroups',
  'activation',
  'hasBias',
] as const;

function patchExtent(stride: number, kernel: number, dilation: number): number {
  return (DEPTHWISE_TILE - 1) * stride + (kernel - 1) * dilation + 1;
}

/** True when the geometry has multiplier 1 and its input patch fits the staged tile. */
export function supportsDepthwiseTiledC4(g: Conv2dGeometry): boolean {
  return (
    g.kind === 'depthwiseConv2d' &&
    g.channelMultiplier === 1 &&
    patchExtent(g.strideHeight, g.kernelHeight, g.dilationHeight) <= DEPTHWISE_MAX_PATCH &&
    patchExtent(g.strideWidth, g.kernelWidth, g.dilationWidth) <= DEPTHWISE_MAX_PATCH
  );
}

/**
 * Tiled depthwise convolution, channel multiplier 1: each workgroup stages the input patch
 * of an 8×8 output tile for 4 channels in workgroup memory (zeros for padding, so the tap
 * loop has no bounds checks), then every invocation computes one output pixel × 4 channels.
 * When `inChannels % 4 == 0` (a compile-time fact) tensors are read and written as
 * `vec4<f32>`; otherwise per-channel loads guard the ragged last group.
 * Bindings: x NHWC, weights `[KH, KW, C, 1]`, bias `[C]` (a placeholder when `hasBias` is 0), y NHWC.
 */
export function depthwiseConv2dTiledC4Program(g: Conv2dGeometry): GpuProgram {
  const vectorized = g.inChannels % DEPTHWISE_CHANNELS_PER_GROUP === 0;
  const tilesX = Math.ceil(g.outWidth / DEPTHWISE_TILE);
  const tilesY = Math.ceil(g.outHeight / DEPTHWISE_TILE);
  const channelGroups = Math.ceil(g.inChannels / DEPTHWISE_CHANNELS_PER_GROUP);
  const values: Record<(typeof UNIFORMS)[number], number> = {
    batch: g.batch,
    inHeight: g.inHeight,
    inWidth: g.inWidth,
    inChannels: g.inChannels,
    outHeight: g.outHeight,
    outWidth: g.outWidth,
    kernelHeight: g.kernelHeight,
    kernelWidth: g.kernelWidth,
    strideHeight: g.strideHeight,
    strideWidth: g.strideWidth,
    dilationHeight: g.dilationHeight,
    dilationWidth: g.dilationWidth,
    padTop: g.padTop,
    padLeft: g.padLeft,
    patchHeight: patchExtent(g.strideHeight, g.kernelHeight, g.dilationHeight),
    patchWidth: patchExtent(g.strideWidth, g.kernelWidth, g.dilationWidth),
    tilesX,
    tilesY,
    channelGroups,
    activation: ACTIVATION_CODES[g.activation],
    hasBias: g.hasBias ? 1 : 0,
  };
  const inputs = ['x', 'weights', 'bias'];
  const vec = 'vec4<f32>';
  const types: Record<string, string> = vectorized ? { x: vec, weights: vec, bias: vec, y: vec } : {};
  const workgroupSize = DEPTHWISE_TILE * DEPTHWISE_TILE;
  // Vectorised: one vec4 element per pixel-group. Scalar: four guarded loads, zero past C.
  const loadFunctions = vectorized
    ? `fn loadX(pixel: i32, group: i32) -> vec4<f32> { return x[pixel * params.channelGroups + group]; }
fn loadFilter(tap: i32, group: i32) -> vec4<f32> { return weights[tap * params.channelGroups + group]; }
fn loadBias(group: i32) -> vec4<f32> { return bias[group]; }
fn store(pixel: i32, group: i32, v: vec4<f32>) { y[pixel * params.channelGroups + group] = v; }`
    : `fn loadX(pixel: i32, group: i32) -> vec4<f32> {
  var v = vec4<f32>(0.0);
  for (var i = 0; i < 4; i++) {
    let c = group * 4 + i;
    if (c < params.inChannels) { v[i] = x[pixel * params.inChannels + c]; }
  }
  return v;
}
fn loadFilter(tap: i32, group: i32) -> vec4<f32> {
  var v = vec4<f32>(0.0);
  for (var i = 0; i < 4; i++) {
    let c = group * 4 + i;
    if (c < params.inChannels) { v[i] = weights[tap * params.inChannels + c]; }
  }
  return v;
}
fn loadBias(group: i32) -> vec4<f32> {
  var v = vec4<f32>(0.0);
  for (var i = 0; i < 4; i++) {
    let c = group * 4 + i;
    if (c < params.inChannels) { v[i] = bias[c]; }
  }
  return v;
}
fn store(pixel: i32, group: i32, v: vec4<f32>) {
  for (var i = 0; i < 4; i++) {
    let c = group * 4 + i;
    if (c < params.inChannels) { y[pixel * params.inChannels + c] = v[i]; }
  }
}`;
  return {
    name: DEPTHWISE_TILED_C4_NAME,
    cacheKey: `${DEPTHWISE_TILED_C4_NAME}:${vectorized ? 'vector' : 'scalar'}`,
    workgroupSize: [workgroupSize, 1, 1],
    inputs,
    dispatch: () => dispatchGrid(tilesX * tilesY * channelGroups * g.batch),
    uniforms: () => UNIFORMS.map((name) => ({ name, value: values[name] })),
    wgsl: () => `${wgslHeader({ inputs }, UNIFORMS, types)}
${wgslActivation('activate', 'vec4<f32>')}
${loadFunctions}

var<workgroup> staged: array<vec4<f32>, ${DEPTHWISE_MAX_PATCH * DEPTHWISE_MAX_PATCH}>;

// Legend: b batch, ty/tx output tile, group channel group of 4, ly/lx position in the tile,
// py/px position in the staged patch, ky/kx tap.
${wgslComputeMain(workgroupSize)}
  var rest = ${WGSL_WORKGROUP_INDEX};
  let tx = rest % params.tilesX;
  rest = rest / params.tilesX;
  let ty = rest % params.tilesY;
  rest = rest / params.tilesY;
  let group = rest % params.channelGroups;
  let b = rest / params.channelGroups;
  if (b >= params.batch) { return; }
  let originY = ty * ${DEPTHWISE_TILE} * params.strideHeight - params.padTop;
  let originX = tx * ${DEPTHWISE_TILE} * params.strideWidth - params.padLeft;
  let patchSize = params.patchHeight * params.patchWidth;
  for (var i = i32(local); i < patchSize; i += ${workgroupSize}) {
    let iy = originY + i / params.patchWidth;
    let ix = originX + i % params.patchWidth;
    var v = vec4<f32>(0.0);
    if (iy >= 0 && iy < params.inHeight && ix >= 0 && ix < params.inWidth) {
      v = loadX((b * params.inHeight + iy) * params.inWidth + ix, group);
    }
    staged[i] = v;
  }
  workgroupBarrier();
  let ly = i32(local) / ${DEPTHWISE_TILE};
  let lx = i32(local) % ${DEPTHWISE_TILE};
  let oy = ty * ${DEPTHWISE_TILE} + ly;
  let ox = tx * ${DEPTHWISE_TILE} + lx;
  if (oy >= params.outHeight || ox >= params.outWidth) { return; }
  var sum = vec4<f32>(0.0);
  if (params.hasBias != 0) { sum = loadBias(group); }
  for (var ky = 0; ky < params.kernelHeight; ky++) {
    let py = ly * params.strideHeight + ky * params.dilationHeight;
    for (var kx = 0; kx < params.kernelWidth; kx++) {
      let px = lx * params.strideWidth + kx * params.dilationWidth;
      sum = sum + staged[py * params.patchWidth + px] * loadFilter(ky * params.kernelWidth + kx, group);
    }
  }
  store((b * params.outHeight + oy) * params.outWidth + ox, group, activate(sum, params.activation));
}
`,
  };
}
