struct Params {
  total: i32,
  activation: i32,
}
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
fn activate(v: f32, kind: i32) -> f32 {
  if (kind == 0) { return v; }
  let r = select(v, 0.0, v < 0.0);
  if (kind == 1) { return r; }
  return select(r, 6.0, r > 6.0);
}

// total counts elements.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let index = i32(workgroupId.x + workgroupId.y * numWorkgroups.x) * 64 + i32(local);
  if (index >= params.total) { return; }
  y[index] = activate(a[index] + b[index], params.activation);
}
