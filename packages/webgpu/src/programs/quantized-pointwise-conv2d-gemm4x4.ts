import type { Conv2dGeometry } from '@sepconv/tensor';
import { WGSL_WORKGROUP_INDEX, wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { CHANNEL_RECORD } from '../pack-quantized-conv-weights.js';
import { int8ConvPreamble, wgslInt8Dot } from '../wgsl-int8.js';
import { flatProgram } from './flat-program.js';
import type { QuantizedConvEpilogue } from './quantized-conv2d-generic.js';
import { supportsPointwiseGemm } from './pointwise-conv2d-gemm.js';

/** 64 invocations, no barrier: as the float register-blocked pointwise program. */
export const QUANTIZED_POINTWISE_GEMM4X4_WORKGROUP_SIZE = 64;

/** Output pixels (matrix rows) per invocation: each weight word loaded once serves 4 pixels. */
export const QUANTIZED_POINTWISE_GEMM4X4_ROWS = 4;

const UNIFORMS = ['total', 'rows', 'inGroups', 'outGroups', 'outputZeroPoint', 'activationMin', 'activationMax'] as const;

/** True for a plain 1×1 convolution (stride 1, no padding) with input and output channels multiples of 4. */
export function supportsQuantizedPointwiseGemm4x4(g: Conv2dGeometry): boolean {
  return g.kind === 'pointwiseConv2d' && supportsPointwiseGemm(g) && g.inChannels % 4 === 0 && g.outChannels % 4 === 0;
}

/**
 * Int8 pointwise convolution as the register-blocked matrix product `[N·H·W, Cin] × [Cin, Cout]`:
 * each invocation owns 4 pixels × 4 output channels (16 int32 sums), and per 4 input channels
 * loads 4 input words and 4 weight words for 16 four-term dot products — `dot4I8Packed` with
 * `packedDot`, unpacked lanes otherwise (the same integers). 4× fewer weight loads than the
 * one-pixel c4 program, which is what a 1×1 layer is bound by. The input zero point is folded
 * into the bias (no padding here, so every input is real). Bindings: x packed int8 `[rows][Cin]`,
 * weights words `[Cout][Cin / 4]`, channels `[Cout][4]` records, y packed int8 `[rows][Cout]`.
 */
export function quantizedPointwiseConv2dGemm4x4Program(name: string, g: Conv2dGeometry, r: QuantizedConvEpilogue, packedDot: boolean): GpuProgram {
  const rows = g.batch * g.outHeight * g.outWidth;
  const outGroups = g.outChannels / 4;
  const total = Math.ceil(rows / QUANTIZED_POINTWISE_GEMM4X4_ROWS) * outGroups;
  const values: Record<(typeof UNIFORMS)[number], number> = { ...r, total, rows, inGroups: g.inChannels / 4, outGroups };
  const size = QUANTIZED_POINTWISE_GEMM4X4_WORKGROUP_SIZE;
  const blockRows = QUANTIZED_POINTWISE_GEMM4X4_ROWS;
  const dot = (xw: string, ww: string): string => wgslInt8Dot(xw, ww, packedDot);
  return flatProgram({
    name,
    workgroupSize: size,
    invocations: total,
    preamble: int8ConvPreamble(UNIFORMS, packedDot),
    values,
    body: () => `// Legend: og output channel group of 4, row0 first of the invocation's ${blockRows} pixels, q input word, r pixel, l output channel in the group.
${wgslComputeMain(size)}
  let index = ${WGSL_WORKGROUP_INDEX} * ${size} + i32(local);
  if (index >= params.total) { return; }
  let og = index % params.outGroups;
  let row0 = (index / params.outGroups) * ${blockRows};
  // Rows past the end read row 0 (in bounds) and are not stored.
  var rowBase: array<i32, ${blockRows}>;
  for (var r = 0; r < ${blockRows}; r++) { rowBase[r] = select(0, (row0 + r) * params.inGroups, row0 + r < params.rows); }
  let wBase = og * 4 * params.inGroups;
  var acc: array<vec4<i32>, ${blockRows}>;
  for (var q = 0; q < params.inGroups; q++) {
    let w0 = weights[wBase + q];
    let w1 = weights[wBase + params.inGroups + q];
    let w2 = weights[wBase + 2 * params.inGroups + q];
    let w3 = weights[wBase + 3 * params.inGroups + q];
    for (var r = 0; r < ${blockRows}; r++) {
      let xw = x[rowBase[r] + q];
      acc[r] = acc[r] + vec4<i32>(${dot('xw', 'w0')}, ${dot('xw', 'w1')}, ${dot('xw', 'w2')}, ${dot('xw', 'w3')});
    }
  }
  for (var r = 0; r < ${blockRows}; r++) {
    if (row0 + r >= params.rows) { break; }
    var packed = 0u;
    for (var l = 0; l < 4; l++) {
      let record = (og * 4 + l) * ${CHANNEL_RECORD};
      let value = params.outputZeroPoint + mbqm(acc[r][l] + channels[record], channels[record + 2], channels[record + 3]);
      packed = packed | ((bitcast<u32>(clamp(value, params.activationMin, params.activationMax)) & 0xffu) << (u32(l) * 8u));
    }
    y[(row0 + r) * params.outGroups + og] = packed;
  }
}
`,
  });
}
