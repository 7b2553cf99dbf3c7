struct Params {
  slices: i32,
  spatial: i32,
  channelGroups: i32,
}
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;
fn poolIdentity() -> f32 { return f32(0.0); }
fn accumulate(acc: f32, v: f32) -> f32 { return acc + v; }

var<workgroup> partial: array<f32, 64>;

// Legend: slice = b · channelGroups + group, the (image, channel group) this workgroup reduces;
// p a position of the H·W plane.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let slice = i32(workgroupId.x + workgroupId.y * numWorkgroups.x);
  // Uniform across the workgroup, so the barriers below stay in uniform control flow.
  if (slice >= params.slices) { return; }
  let group = slice % params.channelGroups;
  let b = slice / params.channelGroups;
  let base = b * params.spatial;
  var acc = poolIdentity();
  for (var p = i32(local); p < params.spatial; p += 64) {
    acc = accumulate(acc, x[(base + p) * params.channelGroups + group]);
  }
  partial[local] = acc;
  for (var stride = 32u; stride > 0u; stride = stride / 2u) {
    workgroupBarrier();
    if (local < stride) { partial[local] = accumulate(partial[local], partial[local + stride]); }
  }
  if (local == 0u) { y[slice] = partial[0] / f32(f32(params.spatial)); }
}
