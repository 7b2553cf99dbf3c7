struct Params {
  total: i32,
  inHeight: i32,
  inWidth: i32,
  channelGroups: i32,
  outHeight: i32,
  outWidth: i32,
  columnBlocks: i32,
  kernelHeight: i32,
  kernelWidth: i32,
  strideHeight: i32,
  strideWidth: i32,
  dilationHeight: i32,
  dilationWidth: i32,
  padTop: i32,
  padLeft: i32,
  inputZeroPoint: i32,
  outputZeroPoint: i32,
  activationMin: i32,
  activationMax: i32,
}
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read> weights: array<u32>;
@group(0) @binding(2) var<storage, read> channels: array<i32>;
@group(0) @binding(3) var<storage, read_write> y: array<u32>;
@group(0) @binding(4) var<uniform> params: Params;
fn unpackInt8(v: u32) -> vec4<i32> {
  let s = bitcast<i32>(v);
  return vec4<i32>((s << 24u) >> 24u, (s << 16u) >> 24u, (s << 8u) >> 24u, s >> 24u);
}
fn highMul(a: i32, b: i32) -> i32 {
  if (a == b && a == i32(-2147483647) - 1) { return 2147483647; }
  let ua = bitcast<u32>(a);
  let ub = bitcast<u32>(b);
  let a0 = ua & 0xffffu;
  let a1 = ua >> 16u;
  let b0 = ub & 0xffffu;
  let b1 = ub >> 16u;
  let p00 = a0 * b0;
  let p01 = a0 * b1;
  let p10 = a1 * b0;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  let lo = (p00 & 0xffffu) | (mid << 16u);
  var hi = a1 * b1 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
  // The unsigned product less 2^32·b for a negative a (and likewise for b): the signed product.
  if (a < 0) { hi = hi - ub; }
  if (b < 0) { hi = hi - ua; }
  // Nudge 2^30 for a non-negative product, 1 − 2^30 for a negative one (sign-extended to 64 bits).
  let nonNegative = a == 0 || b == 0 || ((a < 0) == (b < 0));
  let nudgeLo = select(0xc0000001u, 0x40000000u, nonNegative);
  let nudgeHi = select(0xffffffffu, 0u, nonNegative);
  let sumLo = lo + nudgeLo;
  let sumHi = hi + nudgeHi + select(0u, 1u, sumLo < lo);
  // floor(sum / 2^31) fits in i32; C's division truncates, so a negative quotient with a remainder goes up by one.
  let quotient = bitcast<i32>((sumHi << 1u) | (sumLo >> 31u));
  let inexact = (sumLo & 0x7fffffffu) != 0u;
  return select(quotient, quotient + 1, bitcast<i32>(sumHi) < 0 && inexact);
}

fn divideByPot(x: i32, exponent: i32) -> i32 {
  let mask = bitcast<i32>((1u << u32(exponent)) - 1u);
  let remainder = x & mask;
  let threshold = (mask >> 1u) + select(0, 1, x < 0);
  return (x >> u32(exponent)) + select(0, 1, remainder > threshold);
}

fn mbqm(x: i32, multiplier: i32, shift: i32) -> i32 {
  let shifted = bitcast<i32>(bitcast<u32>(x) << u32(max(shift, 0)));
  return divideByPot(highMul(shifted, multiplier), max(-shift, 0));
}

// Legend: group channel group of 4, b batch, oy output row, ox0 first of the invocation's output columns, ky/kx tap, j column within the block, lane channel within the group.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let index = i32(workgroupId.x + workgroupId.y * numWorkgroups.x) * 64 + i32(local);
  if (index >= params.total) { return; }
  let group = index % params.channelGroups;
  var rest = index / params.channelGroups;
  let ox0 = (rest % params.columnBlocks) * 4;
  rest = rest / params.columnBlocks;
  let oy = rest % params.outHeight;
  let b = rest / params.outHeight;
  var acc: array<vec4<i32>, 4>;
  for (var ky = 0; ky < params.kernelHeight; ky++) {
    let iy = oy * params.strideHeight - params.padTop + ky * params.dilationHeight;
    if (iy < 0 || iy >= params.inHeight) { continue; }
    let rowBase = (b * params.inHeight + iy) * params.inWidth;
    for (var kx = 0; kx < params.kernelWidth; kx++) {
      let wv = unpackInt8(weights[(ky * params.kernelWidth + kx) * params.channelGroups + group]);
      let ix0 = ox0 * params.strideWidth - params.padLeft + kx * params.dilationWidth;
      for (var j = 0; j < 4; j++) {
        let ix = ix0 + j * params.strideWidth;
        if (ix >= 0 && ix < params.inWidth) {
          let xv = unpackInt8(x[(rowBase + ix) * params.channelGroups + group]) - vec4<i32>(params.inputZeroPoint);
          acc[j] = acc[j] + xv * wv;
        }
      }
    }
  }
  let outBase = (b * params.outHeight + oy) * params.outWidth;
  for (var j = 0; j < 4; j++) {
    if (ox0 + j >= params.outWidth) { break; }
    var packed = 0u;
    for (var lane = 0; lane < 4; lane++) {
      let record = (group * 4 + lane) * 4;
      let value = params.outputZeroPoint + mbqm(acc[j][lane] + channels[record + 1], channels[record + 2], channels[record + 3]);
      packed = packed | ((bitcast<u32>(clamp(value, params.activationMin, params.activationMax)) & 0xffu) << (u32(lane) * 8u));
    }
    y[(outBase + ox0 + j) * params.channelGroups + group] = packed;
  }
}
