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
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
fn activate(v: f32, kind: i32) -> f32 {
  if (kind == 0) { return v; }
  if (kind == 3) {
    let isNan = (bitcast<u32>(v) & u32(0x7fffffffu)) > u32(0x7f800000u);
    return select(1.0 / (1.0 + exp(-v)), v, isNan);
  }
  if (kind == 4 || kind == 5) {
    let t = v + 3.0;
    let r6 = select(select(t, 0.0, t < 0.0), 6.0, t > 6.0);
    if (kind == 4) { return r6 / 6.0; }
    return (v * r6) / 6.0;
  }
  let r = select(v, 0.0, v < 0.0);
  if (kind == 1) { return r; }
  return select(r, 6.0, r > 6.0);
}
fn loadA(offset: i32) -> f32 { return a[offset]; }
fn loadB(offset: i32) -> f32 { return b[offset]; }

fn combine(x: f32, z: f32, op: i32) -> f32 {
  switch op {
    case 0: { return x + z; }
    case 1: { return x - z; }
    case 2: { return x * z; }
    default: { return x / z; }
  }
}

// total counts elements; offsets are in elements.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let index = i32(workgroupId.x + workgroupId.y * numWorkgroups.x) * 64 + i32(local);
  if (index >= params.total) { return; }
  // Legend: i0…i3 the output's collapsed axes, outermost first; i3 counts elements.
  let i3 = index % params.size3;
  var rest = index / params.size3;
  let i2 = rest % params.size2;
  rest = rest / params.size2;
  let i1 = rest % params.size1;
  let i0 = rest / params.size1;
  let aOffset = i0 * params.aStride0 + i1 * params.aStride1 + i2 * params.aStride2 + i3 * 1 * params.aStride3;
  let bOffset = i0 * params.bStride0 + i1 * params.bStride1 + i2 * params.bStride2 + i3 * 1 * params.bStride3;
  y[index] = activate(combine(loadA(aOffset), loadB(bOffset), params.op), params.activation);
}
