struct Params {
  total: i32,
  words: i32,
  inner: i32,
  outInner: i32,
  offset: i32,
}
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;
fn load_x(i: i32) -> i32 {
  return extractBits(bitcast<i32>(x[i >> 2u]), u32(i & 3) * 8u, 8u);
}

fn element(i: i32, old: i32) -> i32 {
  let j = i % params.outInner - params.offset;
  if (j < 0 || j >= params.inner) { return old; }
  return load_x((i / params.outInner) * params.inner + j);
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let word = i32(workgroupId.x + workgroupId.y * numWorkgroups.x) * 64 + i32(local);
  if (word >= params.words) { return; }
  let previous = bitcast<i32>(y[word]);
  var packed = 0u;
  for (var lane = 0; lane < 4; lane++) {
    let i = word * 4 + lane;
    if (i < params.total) {
      let value = element(i, extractBits(previous, u32(lane) * 8u, 8u));
      packed = packed | ((bitcast<u32>(value) & 0xffu) << (u32(lane) * 8u));
    }
  }
  y[word] = packed;
}
