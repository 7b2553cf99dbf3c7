struct Params {
  total: i32,
  words: i32,
}
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read> table: array<u32>;
@group(0) @binding(2) var<storage, read_write> y: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;
fn load_x(i: i32) -> i32 {
  return extractBits(bitcast<i32>(x[i >> 2u]), u32(i & 3) * 8u, 8u);
}
fn load_table(i: i32) -> i32 {
  return extractBits(bitcast<i32>(table[i >> 2u]), u32(i & 3) * 8u, 8u);
}

fn element(i: i32) -> i32 {
  return load_table(load_x(i) + 128);
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
