import type { SoftmaxGeometry } from '@sepconv/tensor';
import { WGSL_WORKGROUP_INDEX, wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { flatProgram } from './flat-program.js';

/**
 * 64 invocations, one row each. A classifier's softmax has `batch` rows of ~1000 classes, so a
 * row per invocation leaves most lanes idle, but the op runs once per inference on a few
 * kilobytes; a cooperative per-row reduction would not be measurable next to the network.
 */
export const SOFTMAX_WORKGROUP_SIZE = 64;

const UNIFORMS = ['rows', 'rowLength'] as const;

/** The variant name of {@link softmaxProgram}. */
export const SOFTMAX_NAME = 'softmax-lastaxis-row-f32';

/** f32 bit patterns the row scan tests for: the comparisons of WGSL may assume finite values, bits cannot. */
const POSITIVE_INFINITY_BITS = '0x7f800000u';
const NEGATIVE_INFINITY_BITS = '0xff800000u';
const QUIET_NAN_BITS = '0x7fc00000u';

/**
 * Softmax over the last axis, one invocation per row: the row maximum, then the sum of
 * `exp(x − max)` (subtracting the maximum keeps `exp` from overflowing for large logits), then
 * each `exp(x − max) / sum`. Non-finite values follow the contract of `Backend.softmax` (what
 * the max-subtracted formula gives in IEEE arithmetic, as the reference computes it): a row with
 * a NaN or a +Infinity, or of only −Infinity, is all NaN; a −Infinity entry gives 0. Each case
 * is found on the bits and written out, because WGSL's `max`, `exp` and comparisons need not
 * honour NaN or infinities (SwiftShader gave [NaN, 0, 0] for [+Inf, 0, 0]).
 * Bindings: x (flat, rows × rowLength), y.
 */
export function softmaxProgram(g: SoftmaxGeometry): GpuProgram {
  const inputs = ['x'];
  const values = { rows: g.rows, rowLength: g.rowLength };
  return flatProgram({
    name: SOFTMAX_NAME,
    workgroupSize: SOFTMAX_WORKGROUP_SIZE,
    invocations: g.rows,
    preamble: { inputs, uniforms: UNIFORMS },
    values,
    body: () => `${wgslComputeMain(SOFTMAX_WORKGROUP_SIZE)}
  let row = ${WGSL_WORKGROUP_INDEX} * ${SOFTMAX_WORKGROUP_SIZE} + i32(local);
  if (row >= params.rows) { return; }
  let base = row * params.rowLength;
  // A let, not a const: a constant expression that is NaN does not compile in WGSL.
  let nanBits = ${QUIET_NAN_BITS};
  var rowMax = 0.0;
  var finiteSeen = false;
  var poisoned = false;
  for (var i = 0; i < params.rowLength; i++) {
    let v = x[base + i];
    let bits = bitcast<u32>(v);
    if ((bits & 0x7fffffffu) >= ${POSITIVE_INFINITY_BITS}) {
      // NaN or +Infinity poison the row; -Infinity only contributes exp(-inf) = 0.
      poisoned = poisoned || bits != ${NEGATIVE_INFINITY_BITS};
    } else if (!finiteSeen || v > rowMax) {
      rowMax = v;
      finiteSeen = true;
    }
  }
  if (poisoned || !finiteSeen) {
    for (var i = 0; i < params.rowLength; i++) { y[base + i] = bitcast<f32>(nanBits); }
    return;
  }
  var sum = 0.0;
  for (var i = 0; i < params.rowLength; i++) {
    let v = x[base + i];
    // -Infinity is written as 0 rather than left to exp(-inf); the clamp keeps exp's argument finite
    // (exp(-104) is below the smallest float32, so the result is the same 0).
    let e = select(exp(max(v - rowMax, -104.0)), 0.0, bitcast<u32>(v) == ${NEGATIVE_INFINITY_BITS});
    y[base + i] = e;
    sum += e;
  }
  let scale = 1.0 / sum;
  for (var i = 0; i < params.rowLength; i++) { y[base + i] = y[base + i] * scale; }
}
`,
  });
}
