struct Params {
  total: i32,
  inHeight: i32,
  inWidth: i32,
  channelGroups: i32,
  outHeight: i32,
  outWidth: i32,
  padTop: i32,
  padLeft: i32,
  valueBits: i32,
}
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> params: Params;

// Legend: b batch, oy/ox output position, iy/ix the input position it covers, group channel group of 4.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let index = i32(workgroupId.x + workgroupId.y * numWorkgroups.x) * 64 + i32(local);
  if (index >= params.total) { return; }
  let group = index % params.channelGroups;
  var rest = index / params.channelGroups;
  let ox = rest % params.outWidth;
  rest = rest / params.outWidth;
  let oy = rest % params.outHeight;
  let b = rest / params.outHeight;
  let iy = oy - params.padTop;
  let ix = ox - params.padLeft;
  if (iy < 0 || iy >= params.inHeight || ix < 0 || ix >= params.inWidth) {
    y[index] = vec4<f32>(bitcast<f32>(params.valueBits));
    return;
  }
  y[index] = x[((b * params.inHeight + iy) * params.inWidth + ix) * params.channelGroups + group];
}
