struct Params {
  total: i32,
  words: i32,
  scaleBits: i32,
  zeroPoint: i32,
}
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;
fn normalisedSignificand(bits: u32) -> vec2<i32> {
  let exponent = i32((bits >> 23u) & 0xffu);
  let fraction = bits & 0x7fffffu;
  if (exponent != 0) { return vec2<i32>(i32(fraction | 0x800000u), exponent); }
  // A subnormal: shift the leading one up to bit 23.
  let lead = countLeadingZeros(fraction) - 8u;
  return vec2<i32>(i32(fraction << lead), 1 - i32(lead));
}

fn quantizeBits(xBits: u32, scaleBits: u32, zeroPoint: i32) -> i32 {
  let negative = (xBits >> 31u) != 0u;
  let magnitude = xBits & 0x7fffffffu;
  if (magnitude > 0x7f800000u) { return zeroPoint; }
  if (magnitude == 0u) { return zeroPoint; }
  let saturated = select(127, -128, negative);
  if (magnitude == 0x7f800000u) { return saturated; }
  let xs = normalisedSignificand(magnitude);
  let ss = normalisedSignificand(scaleBits);
  let divisor = u32(ss.x);
  var remainder = u32(xs.x);
  var bits = 0u;
  for (var k = 0; k < 26; k++) {
    bits = bits << 1u;
    if (remainder >= divisor) {
      remainder = remainder - divisor;
      bits = bits | 1u;
    }
    remainder = remainder << 1u;
  }
  // bits = floor(2^25 · xSignificand / sSignificand), in [2^24, 2^26).
  let wide = bits >= 0x2000000u;
  var exponent = xs.y - ss.y - select(1, 0, wide);
  var significand = select(bits >> 1u, bits >> 2u, wide);
  let roundBit = select(bits & 1u, (bits >> 1u) & 1u, wide);
  let sticky = remainder != 0u || (wide && (bits & 1u) != 0u);
  if (roundBit != 0u && (sticky || (significand & 1u) != 0u)) { significand = significand + 1u; }
  // The float32 quotient is significand · 2^(exponent − 23), significand in [2^23, 2^24].
  if (exponent >= 10) { return saturated; }
  if (exponent < -2) { return clamp(zeroPoint, -128, 127); }
  let shift = u32(23 - exponent);
  let whole = significand >> shift;
  let fractionBits = significand & ((1u << shift) - 1u);
  let rounded = i32(whole + select(0u, 1u, fractionBits >= (1u << (shift - 1u))));
  return clamp(zeroPoint + select(rounded, -rounded, negative), -128, 127);
}

fn element(i: i32) -> i32 {
  return quantizeBits(x[i], bitcast<u32>(params.scaleBits), params.zeroPoint);
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
