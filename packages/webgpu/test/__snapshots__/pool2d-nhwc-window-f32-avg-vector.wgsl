struct Params {
  total: i32,
  inHeight: i32,
  inWidth: i32,
  channelGroups: i32,
  outHeight: i32,
  outWidth: i32,
  kernelHeight: i32,
  kernelWidth: i32,
  strideHeight: i32,
  strideWidth: i32,
  padTop: i32,
  padLeft: i32,
}
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> params: Params;
fn poolIdentity() -> vec4<f32> { return vec4<f32>(0.0); }
fn accumulate(acc: vec4<f32>, v: vec4<f32>) -> vec4<f32> { return acc + v; }

// Legend: b batch, oy/ox output position, iy/ix input position, group channel group of 4;
// yStart…yEnd and xStart…xEnd the window's rows and columns that lie inside the input.
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
  let y0 = oy * params.strideHeight - params.padTop;
  let x0 = ox * params.strideWidth - params.padLeft;
  let yStart = max(y0, 0);
  let yEnd = min(y0 + params.kernelHeight, params.inHeight);
  let xStart = max(x0, 0);
  let xEnd = min(x0 + params.kernelWidth, params.inWidth);
  var acc = poolIdentity();
  for (var iy = yStart; iy < yEnd; iy++) {
    let rowBase = (b * params.inHeight + iy) * params.inWidth;
    for (var ix = xStart; ix < xEnd; ix++) {
      acc = accumulate(acc, x[(rowBase + ix) * params.channelGroups + group]);
    }
  }
  y[index] = acc / vec4<f32>(f32((yEnd - yStart) * (xEnd - xStart)));
}
