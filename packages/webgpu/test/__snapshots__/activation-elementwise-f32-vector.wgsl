struct Params {
  total: i32,
  activation: i32,
}
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> params: Params;
fn activate(v: vec4<f32>, kind: i32) -> vec4<f32> {
  if (kind == 0) { return v; }
  if (kind == 3) {
    let isNan = (bitcast<vec4<u32>>(v) & vec4<u32>(0x7fffffffu)) > vec4<u32>(0x7f800000u);
    return select(1.0 / (1.0 + exp(-v)), v, isNan);
  }
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

// total counts vec4s.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let index = i32(workgroupId.x + workgroupId.y * numWorkgroups.x) * 64 + i32(local);
  if (index >= params.total) { return; }
  y[index] = activate(x[index], params.activation);
}
