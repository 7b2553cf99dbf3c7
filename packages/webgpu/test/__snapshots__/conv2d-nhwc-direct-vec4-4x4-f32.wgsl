struct Params {
  total: i32,
  inHeight: i32,
  inWidth: i32,
  inGroups: i32,
  outHeight: i32,
  outWidth: i32,
  columnBlocks: i32,
  outGroups: i32,
  kernelHeight: i32,
  kernelWidth: i32,
  strideHeight: i32,
  strideWidth: i32,
  dilationHeight: i32,
  dilationWidth: i32,
  padTop: i32,
  padLeft: i32,
  activation: i32,
  hasBias: i32,
}
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> weights: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> bias: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> params: Params;
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

// Legend: b batch, oy output row, ox0 first output column of the block, group output channel
// group of 4, ky/kx tap, c4 input channel group of 4 (c one channel), j output column in the block.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let index = i32(workgroupId.x + workgroupId.y * numWorkgroups.x) * 64 + i32(local);
  if (index >= params.total) { return; }
  let group = index % params.outGroups;
  var rest = index / params.outGroups;
  let ox0 = (rest % params.columnBlocks) * 4;
  rest = rest / params.columnBlocks;
  let oy = rest % params.outHeight;
  let b = rest / params.outHeight;
  var acc: array<vec4<f32>, 4>;
  for (var ky = 0; ky < params.kernelHeight; ky++) {
    let iy = oy * params.strideHeight - params.padTop + ky * params.dilationHeight;
    if (iy < 0 || iy >= params.inHeight) { continue; }
    let rowBase = (b * params.inHeight + iy) * params.inWidth;
    for (var kx = 0; kx < params.kernelWidth; kx++) {
      let ix0 = ox0 * params.strideWidth - params.padLeft + kx * params.dilationWidth;
      var pixel: array<i32, 4>;
      for (var j = 0; j < 4; j++) {
        let ix = ix0 + j * params.strideWidth;
        pixel[j] = select(-1, (rowBase + ix) * params.inGroups, ix >= 0 && ix < params.inWidth);
      }
      let tapBase = (ky * params.kernelWidth + kx) * params.inGroups * 4;
      for (var c4 = 0; c4 < params.inGroups; c4++) {
        let row = (tapBase + c4 * 4) * params.outGroups + group;
        let w0 = weights[row];
        let w1 = weights[row + params.outGroups];
        let w2 = weights[row + 2 * params.outGroups];
        let w3 = weights[row + 3 * params.outGroups];
        for (var j = 0; j < 4; j++) {
          if (pixel[j] >= 0) {
            let a = x[pixel[j] + c4];
            acc[j] = acc[j] + a.x * w0 + a.y * w1 + a.z * w2 + a.w * w3;
          }
        }
      }
    }
  }
  var bias4 = vec4<f32>(0.0);
  if (params.hasBias != 0) { bias4 = bias[group]; }
  let outBase = (b * params.outHeight + oy) * params.outWidth;
  for (var j = 0; j < 4; j++) {
    if (ox0 + j < params.outWidth) {
      y[(outBase + ox0 + j) * params.outGroups + group] = activate(acc[j] + bias4, params.activation);
    }
  }
}
