struct Params {
  total: i32,
  op: i32,
  activation: i32,
  size1: i32,
  size2: i32,
  size3: i32,
  aStride0: i32,
  aStride1: i32,
  aStride2: i32,
  aStride3: i32,
  bStride0: i32,
  bStride1: i32,
  bStride2: i32,
  bStride3: i32,
}
@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> params: Params;
fn activate(v: vec4<f32>, kind: i32) -> vec4<f32> {
  if (kind == 0) { return v; }
  if (kind == 3) {
    let isNan = (bitcast<vec4<u32>>(v) & vec4<u32>(0x7fffffffu)) > vec4<u32>(0x7f800000u);
    return select(1.0 / (1.0 + exp(-v)), v, isNan);
  }
  if (kind == 4 || kind == 5) {
    let t = v + 3.0;
    let r6 = select(select(t, vec4<f32>(0.0), t < vec4<f32>(0.0)), vec4<f32>(6.0), t > vec4<f32>(6.0));
    if (kind == 4) { return r6 / 6.0; }
    return (v * r6) / 6.0;
  }
  let r = select(v, vec4<f32>(0.0), v < vec4<f32>(0.0));
  if (kind == 1) { return r; }
  return select(r, vec4<f32>(6.0), r > vec4<f32>(6.0));
}
fn loadA(offset: i32, innermostStride: i32) -> vec4<f32> {
  if (innermostStride == 0) { return vec4<f32>(a[offset / 4][offset % 4]); }
  return a[offset / 4];
}
fn loadB(offset: i32, innermostStride: i32) -> vec4<f32> {
  if (innermostStride == 0) { return vec4<f32>(b[offset / 4][offset % 4]); }
  return b[offset / 4];
}

fn combine(x: vec4<f32>, z: vec4<f32>, op: i32) -> vec4<f32> {
  switch op {
    case 0: { return x + z; }
    case 1: { return x - z; }
    case 2: { return x * z; }
    default: { return x / z; }
  }
}

// total counts vec4s; offsets are in elements.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let index = i32(workgroupId.x + workgroupId.y * numWorkgroups.x) * 64 + i32(local);
  if (index >= params.total) { return; }
  // Legend: i0…i3 the output's collapsed axes, outermost first; i3 counts vec4s.
  let i3 = index % params.size3;
  var rest = index / params.size3;
  let i2 = rest % params.size2;
  rest = rest / params.size2;
  let i1 = rest % params.size1;
  let i0 = rest / params.size1;
  let aOffset = i0 * params.aStride0 + i1 * params.aStride1 + i2 * params.aStride2 + i3 * 4 * params.aStride3;
  let bOffset = i0 * params.bStride0 + i1 * params.bStride1 + i2 * params.bStride2 + i3 * 4 * params.bStride3;
  y[index] = activate(combine(loadA(aOffset, params.aStride3), loadB(bOffset, params.bStride3), params.op), params.activation);
}
