struct Params {
  total: i32,
  inner: i32,
  outInner: i32,
  offset: i32,
}
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

// Every count is in elements. Legend: o outer index, i index within the input's row.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let index = i32(workgroupId.x + workgroupId.y * numWorkgroups.x) * 64 + i32(local);
  if (index >= params.total) { return; }
  let o = index / params.inner;
  let i = index % params.inner;
  y[o * params.outInner + params.offset + i] = x[index];
}
