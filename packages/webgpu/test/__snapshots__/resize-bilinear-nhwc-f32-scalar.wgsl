struct Params {
  total: i32,
  inHeight: i32,
  inWidth: i32,
  channelGroups: i32,
  outHeight: i32,
  outWidth: i32,
  coordinates: i32,
}
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

fn sourceCoordinate(o: i32, inSize: i32, outSize: i32) -> f32 {
  if (params.coordinates == 1) { return f32((2 * o + 1) * inSize) / f32(2 * outSize) - 0.5; }
  if (params.coordinates == 2) {
    if (outSize <= 1) { return 0.0; }
    return f32(o * (inSize - 1)) / f32(outSize - 1);
  }
  return f32(o * inSize) / f32(outSize);
}

// Legend: b batch, oy/ox output position, group channel; y0/y1 and x0/x1 the
// neighbouring source rows and columns, dy/dx the fractions between them.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let index = i32(workgroupId.x + workgroupId.y * numWorkgroups.x) * 64 + i32(local);
  if (index >= params.total) { return; }
  let group = index % params.channelGroups;
  var rest = index / params.channelGroups;
  let ox = rest % params.outWidth;
  rest = rest / params.outWidth;
  let oy = rest % params.outHeight;
  let b = rest / params.outHeight;
  let sy = sourceCoordinate(oy, params.inHeight, params.outHeight);
  let sx = sourceCoordinate(ox, params.inWidth, params.outWidth);
  let fy = floor(sy);
  let fx = floor(sx);
  let y0 = max(i32(fy), 0);
  let y1 = min(i32(ceil(sy)), params.inHeight - 1);
  let x0 = max(i32(fx), 0);
  let x1 = min(i32(ceil(sx)), params.inWidth - 1);
  let dy = sy - fy;
  let dx = sx - fx;
  let row0 = (b * params.inHeight + y0) * params.inWidth;
  let row1 = (b * params.inHeight + y1) * params.inWidth;
  let g = params.channelGroups;
  // a + (b − a)·t rather than mix(): the reference's form, which gives the same NaN for infinite neighbours.
  let topLeft = x[(row0 + x0) * g + group];
  let bottomLeft = x[(row1 + x0) * g + group];
  let top = topLeft + (x[(row0 + x1) * g + group] - topLeft) * dx;
  let bottom = bottomLeft + (x[(row1 + x1) * g + group] - bottomLeft) * dx;
  y[index] = top + (bottom - top) * dy;
}
