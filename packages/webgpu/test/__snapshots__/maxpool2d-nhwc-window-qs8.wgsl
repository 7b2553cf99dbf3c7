struct Params {
  total: i32,
  words: i32,
  inHeight: i32,
  inWidth: i32,
  channels: i32,
  outHeight: i32,
  outWidth: i32,
  kernelHeight: i32,
  kernelWidth: i32,
  strideHeight: i32,
  strideWidth: i32,
  padTop: i32,
  padLeft: i32,
  activationMin: i32,
  activationMax: i32,
}
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;
fn load_x(i: i32) -> i32 {
  return extractBits(bitcast<i32>(x[i >> 2u]), u32(i & 3) * 8u, 8u);
}
fn roundedAverage(sum: i32, count: i32) -> i32 {
  let half = count / 2;
  return select(sum - half, sum + half, sum > 0) / count;
}

// Legend: c channel, b batch, oy/ox output position, iy/ix input position.
fn element(i: i32) -> i32 {
  let c = i % params.channels;
  var rest = i / params.channels;
  let ox = rest % params.outWidth;
  rest = rest / params.outWidth;
  let oy = rest % params.outHeight;
  let b = rest / params.outHeight;
  let top = oy * params.strideHeight - params.padTop;
  let left = ox * params.strideWidth - params.padLeft;
  let yStart = max(top, 0);
  let yEnd = min(top + params.kernelHeight, params.inHeight);
  let xStart = max(left, 0);
  let xEnd = min(left + params.kernelWidth, params.inWidth);
  var result = -128;
  for (var iy = yStart; iy < yEnd; iy++) {
    for (var ix = xStart; ix < xEnd; ix++) {
      let value = load_x(((b * params.inHeight + iy) * params.inWidth + ix) * params.channels + c);
      result = max(result, value);
    }
  }

  return result;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let word = i32(workgroupId.x + workgroupId.y * numWorkgroups.x) * 64 + i32(local);
  if (word >= params.words) { return; }
  var packed = 0u;
  for (var lane = 0; lane < 4; lane++) {
    let i = word * 4 + lane;
    if (i < params.total) {
      let value = element(i);
      packed = packed | ((bitcast<u32>(value) & 0xffu) << (u32(lane) * 8u));
    }
  }
  y[word] = packed;
}
