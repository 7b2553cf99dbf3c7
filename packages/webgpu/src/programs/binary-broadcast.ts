import { UnsupportedError, type BinaryGeometry, type BinaryOp } from '@sepconv/tensor';
import { collapseBroadcast } from '../collapse-broadcast.js';
import { dispatchGrid, WGSL_WORKGROUP_INDEX, wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { ACTIVATION_CODES, wgslActivation } from '../wgsl-activation.js';
import { wgslHeader } from '../wgsl-header.js';

/**
 * 64 invocations, one element (or one vec4) each, as for every element-wise program: a
 * multiple of every GPU's SIMD width and WebGPU's guaranteed minimum; nothing to tile for.
 */
export const BINARY_WORKGROUP_SIZE = 64;

/**
 * The most axes a broadcast may keep after {@link collapseBroadcast}. Any NHWC broadcast
 * collapses to at most 4; each kept axis costs an integer division per element (emulated,
 * ~20 instructions on most GPUs), so the strided shape unrolls exactly this many.
 */
export const BINARY_MAX_RANK = 4;

/** The `i32` each operation travels as: a uniform branch, not another pipeline (see ACTIVATION_CODES). */
export const BINARY_OP_CODES: Readonly<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3 };

/** The variant name of {@link binaryBroadcastProgram}. */
export const BINARY_BROADCAST_NAME = 'binary-broadcast-f32';

const FLAT_UNIFORMS = ['total', 'op', 'activation', 'aStride', 'bStride'] as const;
const STRIDED_UNIFORMS = [
  'total',
  'op',
  'activation',
  'size1',
  'size2',
  'size3',
  ...(['a', 'b'] as const).flatMap((operand) => [0, 1, 2, 3].map((axis) => `${operand}Stride${axis}` as const)),
] as const;

/**
 * Refuses, with a typed error, a broadcast that keeps more than {@link BINARY_MAX_RANK} axes
 * after collapsing (only possible above rank 4, with broadcast and full axes alternating).
 * {@link binaryBroadcastProgram} calls it; the kernel builds the program before allocating.
 */
export function assertBinaryBroadcastFits(g: BinaryGeometry): void {
  const { dims } = collapseBroadcast(g.shape, [g.aStrides, g.bStrides]);
  if (dims.length > BINARY_MAX_RANK) {
    throw new UnsupportedError(
      g.op,
      'b',
      `the WebGPU backend broadcasts over at most ${BINARY_MAX_RANK} axes after merging contiguous ones; this broadcast keeps ${dims.length} (output [${g.shape.join(', ')}])`,
    );
  }
}

/**
 * Element-wise `y = act(a ∘ b)` for ∘ in add / sub / mul / div with NumPy broadcasting, on
 * any rank. The host collapses the broadcast ({@link collapseBroadcast}); one of two code
 * shapes runs it: `flat` when one axis remains (same shapes, or a scalar operand) — no index
 * arithmetic at all — and `strided` otherwise, unravelling {@link BINARY_MAX_RANK} axes whose
 * sizes and per-operand strides are uniforms, so every broadcast pattern shares the pipeline.
 * Reads and writes `vec4<f32>` when the innermost kept axis is a multiple of 4 (per-channel
 * vectors of MobileNet widths, SE scales): an operand contiguous there is loaded as a vec4,
 * one broadcast there (stride 0) is one element splatted — a uniform branch, not a code shape.
 * Division is IEEE: x/0 is ±Inf, 0/0 NaN. Bindings: a, b (flat, row-major), y.
 */
export function binaryBroadcastProgram(g: BinaryGeometry): GpuProgram {
  assertBinaryBroadcastFits(g);
  const { dims, strides } = collapseBroadcast(g.shape, [g.aStrides, g.bStrides]);
  const [aStrides, bStrides] = strides as [readonly number[], readonly number[]];
  const vectorized = dims[dims.length - 1]! % 4 === 0;
  const lanes = vectorized ? 4 : 1;
  const flat = dims.length === 1;
  const total = g.size / lanes;
  const common = { total, op: BINARY_OP_CODES[g.op], activation: ACTIVATION_CODES[g.activation] };
  let uniforms: readonly { name: string; value: number }[];
  if (flat) {
    const values = { ...common, aStride: aStrides[0]!, bStride: bStrides[0]! };
    uniforms = FLAT_UNIFORMS.map((name) => ({ name, value: values[name] }));
  } else {
    // Leading axes of size 1 (stride 0) pad the collapsed broadcast to the unrolled rank.
    const pad = BINARY_MAX_RANK - dims.length;
    const padded = (values: readonly number[], fill: number) => [...Array<number>(pad).fill(fill), ...values];
    const sizes = padded(dims, 1);
    const values: Record<string, number> = { ...common, size1: sizes[1]!, size2: sizes[2]!, size3: sizes[3]! / lanes };
    padded(aStrides, 0).forEach((stride, axis) => (values[`aStride${axis}`] = stride));
    padded(bStrides, 0).forEach((stride, axis) => (values[`bStride${axis}`] = stride));
    uniforms = STRIDED_UNIFORMS.map((name) => ({ name, value: values[name]! }));
  }
  const type = vectorized ? 'vec4<f32>' : 'f32';
  const inputs = ['a', 'b'];
  // A vec4 load needs the operand's innermost stride (0 or 1), a uniform under either shape.
  const load = (operand: 'a' | 'b') =>
    vectorized
      ? `load${operand.toUpperCase()}(${operand}Offset, params.${operand}Stride${flat ? '' : BINARY_MAX_RANK - 1})`
      : `load${operand.toUpperCase()}(${operand}Offset)`;
  const shape = flat ? 'flat' : 'strided';
  return {
    name: BINARY_BROADCAST_NAME,
    cacheKey: `${BINARY_BROADCAST_NAME}:${vectorized ? 'vector' : 'scalar'}:${shape}`,
    workgroupSize: [BINARY_WORKGROUP_SIZE, 1, 1],
    inputs,
    dispatch: () => dispatchGrid(Math.ceil(total / BINARY_WORKGROUP_SIZE)),
    uniforms: () => uniforms,
    wgsl: () => `${wgslHeader(
      { inputs },
      uniforms.map((u) => u.name),
      { a: type, b: type, y: type },
    )}
${wgslActivation('activate', type, 'all')}
${vectorized ? wgslVectorLoads() : wgslScalarLoads()}

fn combine(x: ${type}, z: ${type}, op: i32) -> ${type} {
  switch op {
    case ${BINARY_OP_CODES.add}: { return x + z; }
    case ${BINARY_OP_CODES.sub}: { return x - z; }
    case ${BINARY_OP_CODES.mul}: { return x * z; }
    default: { return x / z; }
  }
}

// total counts ${vectorized ? 'vec4s' : 'elements'}; offsets are in elements.
${wgslComputeMain(BINARY_WORKGROUP_SIZE)}
  let index = ${WGSL_WORKGROUP_INDEX} * ${BINARY_WORKGROUP_SIZE} + i32(local);
  if (index >= params.total) { return; }
${flat ? wgslFlatOffsets(lanes) : wgslStridedOffsets(lanes)}
  y[index] = activate(combine(${load('a')}, ${load('b')}, params.op), params.activation);
}
`,
  };
}

function wgslScalarLoads(): string {
  return `fn loadA(offset: i32) -> f32 { return a[offset]; }
fn loadB(offset: i32) -> f32 { return b[offset]; }`;
}

/** Innermost stride 1: the aligned vec4 at the offset; stride 0: that one element, splatted. */
function wgslVectorLoads(): string {
  return (['a', 'b'] as const)
    .map(
      (operand) => `fn load${operand.toUpperCase()}(offset: i32, innermostStride: i32) -> vec4<f32> {
  if (innermostStride == 0) { return vec4<f32>(${operand}[offset / 4][offset % 4]); }
  return ${operand}[offset / 4];
}`,
    )
    .join('\n');
}

function wgslFlatOffsets(lanes: number): string {
  return `  let element = index * ${lanes};
  let aOffset = element * params.aStride;
  let bOffset = element * params.bStride;`;
}

function wgslStridedOffsets(lanes: number): string {
  return `  // Legend: i0…i3 the output's collapsed axes, outermost first; i3 counts ${lanes === 4 ? 'vec4s' : 'elements'}.
  let i3 = index % params.size3;
  var rest = index / params.size3;
  let i2 = rest % params.size2;
  rest = rest / params.size2;
  let i1 = rest % params.size1;
  let i0 = rest / params.size1;
  let aOffset = i0 * params.aStride0 + i1 * params.aStride1 + i2 * params.aStride2 + i3 * ${lanes} * params.aStride3;
  let bOffset = i0 * params.bStride0 + i1 * params.bStride1 + i2 * params.bStride2 + i3 * ${lanes} * params.bStride3;`;
}
