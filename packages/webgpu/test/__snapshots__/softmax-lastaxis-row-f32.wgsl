struct Params {
  rows: i32,
  rowLength: i32,
}
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let row = i32(workgroupId.x + workgroupId.y * numWorkgroups.x) * 64 + i32(local);
  if (row >= params.rows) { return; }
  let base = row * params.rowLength;
  // A let, not a const: a constant expression that is NaN does not compile in WGSL.
  let nanBits = 0x7fc00000u;
  var rowMax = 0.0;
  var finiteSeen = false;
  var poisoned = false;
  for (var i = 0; i < params.rowLength; i++) {
    let v = x[base + i];
    let bits = bitcast<u32>(v);
    if ((bits & 0x7fffffffu) >= 0x7f800000u) {
      // NaN or +Infinity poison the row; -Infinity only contributes exp(-inf) = 0.
      poisoned = poisoned || bits != 0xff800000u;
    } else if (!finiteSeen || v > rowMax) {
      rowMax = v;
      finiteSeen = true;
    }
  }
  if (poisoned || !finiteSeen) {
    for (var i = 0; i < params.rowLength; i++) { y[base + i] = bitcast<f32>(nanBits); }
    return;
  }
  var sum = 0.0;
  for (var i = 0; i < params.rowLength; i++) {
    let v = x[base + i];
    // -Infinity is written as 0 rather than left to exp(-inf); the clamp keeps exp's argument finite
    // (exp(-104) is below the smallest float32, so the result is the same 0).
    let e = select(exp(max(v - rowMax, -104.0)), 0.0, bitcast<u32>(v) == 0xff800000u);
    y[base + i] = e;
    sum += e;
  }
  let scale = 1.0 / sum;
  for (var i = 0; i < params.rowLength; i++) { y[base + i] = y[base + i] * scale; }
}
