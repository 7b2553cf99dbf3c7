struct Params {
  total: i32,
  words: i32,
  aZeroPoint: i32,
  bZeroPoint: i32,
  outputZeroPoint: i32,
  multiplier: i32,
  shift: i32,
  activationMin: i32,
  activationMax: i32,
  shape0: i32,
  shape1: i32,
  shape2: i32,
  shape3: i32,
  shape4: i32,
  shape5: i32,
  aStride0: i32,
  aStride1: i32,
  aStride2: i32,
  aStride3: i32,
  aStride4: i32,
  aStride5: i32,
  bStride0: i32,
  bStride1: i32,
  bStride2: i32,
  bStride3: i32,
  bStride4: i32,
  bStride5: i32,
}
@group(0) @binding(0) var<storage, read> a: array<u32>;
@group(0) @binding(1) var<storage, read> b: array<u32>;
@group(0) @binding(2) var<storage, read_write> y: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;
fn load_a(i: i32) -> i32 {
  return extractBits(bitcast<i32>(a[i >> 2u]), u32(i & 3) * 8u, 8u);
}
fn load_b(i: i32) -> i32 {
  return extractBits(bitcast<i32>(b[i >> 2u]), u32(i & 3) * 8u, 8u);
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

fn element(i: i32) -> i32 {
  var rest = i;
  var coordinate = 0;
  var aOffset = 0;
  var bOffset = 0;
  coordinate = rest % params.shape5;
  rest = rest / params.shape5;
  aOffset = aOffset + coordinate * params.aStride5;
  bOffset = bOffset + coordinate * params.bStride5;
  coordinate = rest % params.shape4;
  rest = rest / params.shape4;
  aOffset = aOffset + coordinate * params.aStride4;
  bOffset = bOffset + coordinate * params.bStride4;
  coordinate = rest % params.shape3;
  rest = rest / params.shape3;
  aOffset = aOffset + coordinate * params.aStride3;
  bOffset = bOffset + coordinate * params.bStride3;
  coordinate = rest % params.shape2;
  rest = rest / params.shape2;
  aOffset = aOffset + coordinate * params.aStride2;
  bOffset = bOffset + coordinate * params.bStride2;
  coordinate = rest % params.shape1;
  rest = rest / params.shape1;
  aOffset = aOffset + coordinate * params.aStride1;
  bOffset = bOffset + coordinate * params.bStride1;
  coordinate = rest % params.shape0;
  rest = rest / params.shape0;
  aOffset = aOffset + coordinate * params.aStride0;
  bOffset = bOffset + coordinate * params.bStride0;
  let product = (load_a(aOffset) - params.aZeroPoint) * (load_b(bOffset) - params.bZeroPoint);
  return clamp(params.outputZeroPoint + mbqm(product, params.multiplier, params.shift), params.activationMin, params.activationMax);
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
