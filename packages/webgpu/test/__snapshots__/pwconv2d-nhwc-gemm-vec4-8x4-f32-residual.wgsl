struct Params {
  total: i32,
  M: i32,
  K4: i32,
  N4: i32,
  activation: i32,
  hasBias: i32,
}
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> weights: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> bias: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> residual: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(5) var<uniform> params: Params;
fn activate(v: vec4<f32>, kind: i32) -> vec4<f32> {
  if (kind == 0) { return v; }
  if (kind == 4 || kind == 5) {
    let t = v + 3.0;
    let r6 = select(select(t, vec4<f32>(0.0), t < vec4<f32>(0.0)), vec4<f32>(6.0), t > vec4<f32>(6.0));
    if (kind == 4) { return r6 / 6.0; }
    return (v * r6) / 6.0;
  }
  let r = select(v, vec4<f32>(0.0), v < vec4<f32>(0.0));
  if (kind == 1) { return r; }
  return select(r, vec4<f32>(6.0), r > vec4<f32>(6.0));
}

// Legend: row0 first output pixel of the block, n4 output channel group, k4 input channel
// group, r row within the block. Rows past M read the last row (clamped) and are not stored.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let index = i32(workgroupId.x + workgroupId.y * numWorkgroups.x) * 64 + i32(local);
  if (index >= params.total) { return; }
  let n4 = index % params.N4;
  let row0 = (index / params.N4) * 8;
  var rowOffsets: array<i32, 8>;
  for (var r = 0; r < 8; r++) { rowOffsets[r] = min(row0 + r, params.M - 1) * params.K4; }
  var acc: array<vec4<f32>, 8>;
  for (var k4 = 0; k4 < params.K4; k4++) {
    let b0 = weights[(k4 * 4) * params.N4 + n4];
    let b1 = weights[(k4 * 4 + 1) * params.N4 + n4];
    let b2 = weights[(k4 * 4 + 2) * params.N4 + n4];
    let b3 = weights[(k4 * 4 + 3) * params.N4 + n4];
    for (var r = 0; r < 8; r++) {
      let a = x[rowOffsets[r] + k4];
      acc[r] = acc[r] + a.x * b0 + a.y * b1 + a.z * b2 + a.w * b3;
    }
  }
  var bias4 = vec4<f32>(0.0);
  if (params.hasBias != 0) { bias4 = bias[n4]; }
  for (var r = 0; r < 8; r++) {
    if (row0 + r < params.M) {
      y[(row0 + r) * params.N4 + n4] = activate(acc[r] + bias4 + residual[(row0 + r) * params.N4 + n4], params.activation);
    }
  }
}
