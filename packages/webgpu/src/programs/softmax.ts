import type { SoftmaxGeometry } from '@sepconv/tensor';
import { dispatchGrid, WGSL_WORKGROUP_INDEX } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { wgslHeader } from '../wgsl-header.js';

/**
 * 64 invocations, one row each. A classifier's softmax has `batch` rows of ~1000 classes, so a
 * row per invocation leaves most lanes idle, but the op runs once per inference on a few
 * kilobytes; a cooperative per-row reduction would not be measurable next to the network.
 */
export const SOFTMAX_WORKGROUP_SIZE = 64;

const UNIFORMS = ['rows', 'rowLength'] as const;

/** The variant name of {@link softmaxProgram}. */
export const SOFTMAX_NAME = 'softmax-lastaxis-row-f32';

/**
 * Softmax over the last axis, one invocation per row: the row maximum, then the sum of
 * `exp(x − max)` (subtracting the maximum keeps `exp` from overflowing for large logits), then
 * each `exp(x − max) / sum`. A NaN in a row (found on its bits) makes the whole row NaN, as in
 * the reference. Bindings: x (flat, rows × rowLength), y.
 */
export function softmaxProgram(g: SoftmaxGeometry): GpuProgram {
  const inputs = ['x'];
  const values = { rows: g.rows, rowLength: g.rowLength };
  return {
    name: SOFTMAX_NAME,
    cacheKey: SOFTMAX_NAME,
    workgroupSize: [SOFTMAX_WORKGROUP_SIZE, 1, 1],
    inputs,
    dispatch: () => dispatchGrid(Math.ceil(g.rows / SOFTMAX_WORKGROUP_SIZE)),
    uniforms: () => UNIFORMS.map((name) => ({ name, value: values[name] })),
    wgsl: () => `${wgslHeader({ inputs }, UNIFORMS)}

@compute @workgroup_size(${SOFTMAX_WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let row = ${WGSL_WORKGROUP_INDEX} * ${SOFTMAX_WORKGROUP_SIZE} + i32(local);
  if (row >= params.rows) { return; }
  let base = row * params.rowLength;
  var rowMax = x[base];
  var sawNaN = false;
  var nanValue = 0.0;
  for (var i = 0; i < params.rowLength; i++) {
    let v = x[base + i];
    // NaN tested on the bits: WGSL's max() and exp() need not propagate NaN, the reference does.
    if ((bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u) {
      sawNaN = true;
      // The row's own NaN is written out: a NaN constant does not compile in WGSL.
      nanValue = v;
    }
    rowMax = max(rowMax, v);
  }
  if (sawNaN) {
    for (var i = 0; i < params.rowLength; i++) { y[base + i] = nanValue; }
    return;
  }
  var sum = 0.0;
  for (var i = 0; i < params.rowLength; i++) {
    let e = exp(x[base + i] - rowMax);
    y[base + i] = e;
    sum += e;
  }
  let scale = 1.0 / sum;
  for (var i = 0; i < params.rowLength; i++) { y[base + i] = y[base + i] * scale; }
}
`,
  };
}
