struct Params {
  batch: i32,
  inHeight: i32,
  inWidth: i32,
  inChannels: i32,
  outHeight: i32,
  outWidth: i32,
  kernelHeight: i32,
  kernelWidth: i32,
  strideHeight: i32,
  strideWidth: i32,
  dilationHeight: i32,
  dilationWidth: i32,
  padTop: i32,
  padLeft: i32,
  patchHeight: i32,
  patchWidth: i32,
  tilesX: i32,
  tilesY: i32,
  channelGroups: i32,
  activation: i32,
  hasBias: i32,
}
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> weights: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
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
fn loadX(pixel: i32, group: i32) -> vec4<f32> {
  var v = vec4<f32>(0.0);
  for (var i = 0; i < 4; i++) {
    let c = group * 4 + i;
    if (c < params.inChannels) { v[i] = x[pixel * params.inChannels + c]; }
  }
  return v;
}
fn loadFilter(tap: i32, group: i32) -> vec4<f32> {
  var v = vec4<f32>(0.0);
  for (var i = 0; i < 4; i++) {
    let c = group * 4 + i;
    if (c < params.inChannels) { v[i] = weights[tap * params.inChannels + c]; }
  }
  return v;
}
fn loadBias(group: i32) -> vec4<f32> {
  var v = vec4<f32>(0.0);
  for (var i = 0; i < 4; i++) {
    let c = group * 4 + i;
    if (c < params.inChannels) { v[i] = bias[c]; }
  }
  return v;
}
fn store(pixel: i32, group: i32, v: vec4<f32>) {
  for (var i = 0; i < 4; i++) {
    let c = group * 4 + i;
    if (c < params.inChannels) { y[pixel * params.inChannels + c] = v[i]; }
  }
}

var<workgroup> staged: array<vec4<f32>, 576>;

// Legend: b batch, ty/tx output tile, group channel group of 4, ly/lx position in the tile,
// py/px position in the staged patch, ky/kx tap.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  var rest = i32(workgroupId.x + workgroupId.y * numWorkgroups.x);
  let tx = rest % params.tilesX;
  rest = rest / params.tilesX;
  let ty = rest % params.tilesY;
  rest = rest / params.tilesY;
  let group = rest % params.channelGroups;
  let b = rest / params.channelGroups;
  if (b >= params.batch) { return; }
  let originY = ty * 8 * params.strideHeight - params.padTop;
  let originX = tx * 8 * params.strideWidth - params.padLeft;
  let patchSize = params.patchHeight * params.patchWidth;
  for (var i = i32(local); i < patchSize; i += 64) {
    let iy = originY + i / params.patchWidth;
    let ix = originX + i % params.patchWidth;
    var v = vec4<f32>(0.0);
    if (iy >= 0 && iy < params.inHeight && ix >= 0 && ix < params.inWidth) {
      v = loadX((b * params.inHeight + iy) * params.inWidth + ix, group);
    }
    staged[i] = v;
  }
  workgroupBarrier();
  let ly = i32(local) / 8;
  let lx = i32(local) % 8;
  let oy = ty * 8 + ly;
  let ox = tx * 8 + lx;
  if (oy >= params.outHeight || ox >= params.outWidth) { return; }
  var sum = vec4<f32>(0.0);
  if (params.hasBias != 0) { sum = loadBias(group); }
  for (var ky = 0; ky < params.kernelHeight; ky++) {
    let py = ly * params.strideHeight + ky * params.dilationHeight;
    for (var kx = 0; kx < params.kernelWidth; kx++) {
      let px = lx * params.strideWidth + kx * params.dilationWidth;
      sum = sum + staged[py * params.patchWidth + px] * loadFilter(ky * params.kernelWidth + kx, group);
    }
  }
  store((b * params.outHeight + oy) * params.outWidth + ox, group, activate(sum, params.activation));
}
