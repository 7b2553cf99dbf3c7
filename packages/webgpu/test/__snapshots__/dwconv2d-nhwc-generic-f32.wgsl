struct Params {
  total: i32,
  inHeight: i32,
  inWidth: i32,
  inChannels: i32,
  channelMultiplier: i32,
  outHeight: i32,
  outWidth: i32,
  outChannels: i32,
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
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> weights: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
fn activate(v: f32, kind: i32) -> f32 {
  if (kind == 0) { return v; }
  if (kind == 4 || kind == 5) {
    let t = v + 3.0;
    let r6 = select(select(t, 0.0, t < 0.0), 6.0, t > 6.0);
    if (kind == 4) { return r6 / 6.0; }
    return (v * r6) / 6.0;
  }
  let r = select(v, 0.0, v < 0.0);
  if (kind == 1) { return r; }
  return select(r, 6.0, r > 6.0);
}

// Legend: b batch, oy/ox output position, ky/kx tap, c input channel, m multiplier index.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let index = i32(workgroupId.x + workgroupId.y * numWorkgroups.x) * 64 + i32(local);
  if (index >= params.total) { return; }
  let o = index % params.outChannels;
  var rest = index / params.outChannels;
  let ox = rest % params.outWidth;
  rest = rest / params.outWidth;
  let oy = rest % params.outHeight;
  let b = rest / params.outHeight;
  let c = o / params.channelMultiplier;
  let m = o % params.channelMultiplier;
  var sum = 0.0;
  if (params.hasBias != 0) { sum = bias[o]; }
  for (var ky = 0; ky < params.kernelHeight; ky++) {
    let iy = oy * params.strideHeight - params.padTop + ky * params.dilationHeight;
    if (iy < 0 || iy >= params.inHeight) { continue; }
    for (var kx = 0; kx < params.kernelWidth; kx++) {
      let ix = ox * params.strideWidth - params.padLeft + kx * params.dilationWidth;
      if (ix < 0 || ix >= params.inWidth) { continue; }
      let xValue = x[((b * params.inHeight + iy) * params.inWidth + ix) * params.inChannels + c];
      let wValue = weights[((ky * params.kernelWidth + kx) * params.inChannels + c) * params.channelMultiplier + m];
      sum = sum + xValue * wValue;
    }
  }
  y[index] = activate(sum, params.activation);
}
