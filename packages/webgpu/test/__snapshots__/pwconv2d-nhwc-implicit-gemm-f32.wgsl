struct Params {
  M: i32,
  N: i32,
  K: i32,
  tilesM: i32,
  tilesN: i32,
  activation: i32,
  hasBias: i32,
  inHeight: i32,
  inWidth: i32,
  inChannels: i32,
  outHeight: i32,
  outWidth: i32,
  kernelWidth: i32,
  strideHeight: i32,
  strideWidth: i32,
  dilationHeight: i32,
  dilationWidth: i32,
  padTop: i32,
  padLeft: i32,
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
fn loadA(row: i32, k: i32) -> f32 {
  let ox = row % params.outWidth;
  let rest = row / params.outWidth;
  let oy = rest % params.outHeight;
  let b = rest / params.outHeight;
  let c = k % params.inChannels;
  let tap = k / params.inChannels;
  let kx = tap % params.kernelWidth;
  let ky = tap / params.kernelWidth;
  let iy = oy * params.strideHeight - params.padTop + ky * params.dilationHeight;
  let ix = ox * params.strideWidth - params.padLeft + kx * params.dilationWidth;
  if (iy < 0 || iy >= params.inHeight || ix < 0 || ix >= params.inWidth) { return 0.0; }
  return x[((b * params.inHeight + iy) * params.inWidth + ix) * params.inChannels + c];
}

fn loadB(k: i32, n: i32) -> f32 {
  if (k >= params.K || n >= params.N) { return 0.0; }
  return weights[k * params.N + n];
}

var<workgroup> tileA: array<f32, 1024>;
var<workgroup> tileB: array<vec4<f32>, 256>;

// Legend: tm/tn tile of C, tx/ty invocation in the tile, k0 slice start along K,
// kk position in the slice, i/j row/column of the invocation's 4×4 block.
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let tileIndex = i32(workgroupId.x + workgroupId.y * numWorkgroups.x);
  let tn = tileIndex % params.tilesN;
  let tm = tileIndex / params.tilesN;
  if (tm >= params.tilesM) { return; }
  let tx = i32(local) % 16;
  let ty = i32(local) / 16;
  let rowBase = tm * 64;
  let colBase = tn * 64;
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0; k0 < params.K; k0 += 16) {
    for (var i = 0; i < 4; i++) {
      let e = i32(local) + i * 256;
      let row = rowBase + e / 16;
      let k = k0 + e % 16;
      var a = 0.0;
      if (row < params.M && k < params.K) { a = loadA(row, k); }
      tileA[e] = a;
    }
    for (var i = 0; i < 1; i++) {
      let e = i32(local) + i * 256;
      let k = k0 + e / 16;
      let n = colBase + (e % 16) * 4;
      tileB[e] = vec4<f32>(loadB(k, n), loadB(k, n + 1), loadB(k, n + 2), loadB(k, n + 3));
    }
    workgroupBarrier();
    for (var kk = 0; kk < 16; kk++) {
      let b = tileB[kk * 16 + tx];
      for (var i = 0; i < 4; i++) {
        acc[i] = acc[i] + tileA[(ty * 4 + i) * 16 + kk] * b;
      }
    }
    workgroupBarrier();
  }
  for (var i = 0; i < 4; i++) {
    let row = rowBase + ty * 4 + i;
    if (row >= params.M) { break; }
    for (var j = 0; j < 4; j++) {
      let n = colBase + tx * 4 + j;
      if (n < params.N) {
        var v = acc[i][j];
        if (params.hasBias != 0) { v = v + bias[n]; }
        y[row * params.N + n] = activate(v, params.activation);
      }
    }
  }
}
