struct Params {
  total: i32,
  scaleBits: i32,
  zeroPoint: i32,
}
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;
fn load_x(i: i32) -> i32 {
  return extractBits(bitcast<i32>(x[i >> 2u]), u32(i & 3) * 8u, 8u);
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let index = i32(workgroupId.x + workgroupId.y * numWorkgroups.x) * 64 + i32(local);
  if (index >= params.total) { return; }
  y[index] = bitcast<f32>(params.scaleBits) * f32(load_x(index) - params.zeroPoint);
}
