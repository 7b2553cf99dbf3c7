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
  var rowMax = x[base];
  var sawNaN = false;
  var nanValue = 0.0;
  for (var i = 0; i < params.rowLength; i++) {
    let v = x[base + i];
    // NaN tested on the bits: WGSL's max() and exp() need not propagate NaN, the reference does.
    if ((bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u) {
      sawNaN = true;
      // The row's own NaN is written out: a NaN constant does not compile in WGSL.
      nanValue = v;
    }
    rowMax = max(rowMax, v);
  }
  if (sawNaN) {
    for (var i = 0; i < params.rowLength; i++) { y[base + i] = nanValue; }
    return;
  }
  var sum = 0.0;
  for (var i = 0; i < params.rowLength; i++) {
    let e = exp(x[base + i] - rowMax);
    y[base + i] = e;
    sum += e;
  }
  let scale = 1.0 / sum;
  for (var i = 0; i < params.rowLength; i++) { y[base + i] = y[base + i] * scale; }
}
