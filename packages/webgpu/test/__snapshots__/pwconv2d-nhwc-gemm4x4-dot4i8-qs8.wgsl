requires packed_4x8_integer_dot_product;
struct Params {
  total: i32,
  rows: i32,
  inGroups: i32,
  outGroups: i32,
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

// Legend: og output channel group of 4, row0 first of the invocation's 4 pixels, q input word, r pixel, l output channel in the group.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let index = i32(workgroupId.x + workgroupId.y * numWorkgroups.x) * 64 + i32(local);
  if (index >= params.total) { return; }
  let og = index % params.outGroups;
  let row0 = (index / params.outGroups) * 4;
  // Rows past the end read row 0 (in bounds) and are not stored.
  var rowBase: array<i32, 4>;
  for (var r = 0; r < 4; r++) { rowBase[r] = select(0, (row0 + r) * params.inGroups, row0 + r < params.rows); }
  let wBase = og * 4 * params.inGroups;
  var acc: array<vec4<i32>, 4>;
  for (var q = 0; q < params.inGroups; q++) {
    let w0 = weights[wBase + q];
    let w1 = weights[wBase + params.inGroups + q];
    let w2 = weights[wBase + 2 * params.inGroups + q];
    let w3 = weights[wBase + 3 * params.inGroups + q];
    for (var r = 0; r < 4; r++) {
      let xw = x[rowBase[r] + q];
      acc[r] = acc[r] + vec4<i32>(dot4I8Packed(xw, w0), dot4I8Packed(xw, w1), dot4I8Packed(xw, w2), dot4I8Packed(xw, w3));
    }
  }
  for (var r = 0; r < 4; r++) {
    if (row0 + r >= params.rows) { break; }
    var packed = 0u;
    for (var l = 0; l < 4; l++) {
      let record = (og * 4 + l) * 4;
      let value = params.outputZeroPoint + mbqm(acc[r][l] + channels[record], channels[record + 2], channels[record + 3]);
      packed = packed | ((bitcast<u32>(clamp(value, params.activationMin, params.activationMax)) & 0xffu) << (u32(l) * 8u));
    }
    y[(row0 + r) * params.outGroups + og] = packed;
  }
}
