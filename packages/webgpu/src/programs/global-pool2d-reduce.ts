import type { GlobalPool2dGeometry } from '@sepconv/tensor';
import { dispatchGrid, WGSL_WORKGROUP_INDEX, wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { wgslHeader } from '../wgsl-header.js';
import { wgslPoolReduce } from '../wgsl-pool-reduce.js';

/**
 * 64 invocations share one (image, channel group): each reduces every 64th position of the
 * H·W plane, then a 6-step tree in workgroup memory combines them. 64 covers a MobileNet
 * head's 7×7 = 49 positions in one pass, and keeps the larger planes of squeeze-and-excitation
 * blocks (28×28 … 56×56) at a few dozen loads per invocation; a larger workgroup would add
 * barrier steps, which SwiftShader runs as a coroutine switch per SIMD group.
 */
export const GLOBAL_POOL2D_WORKGROUP_SIZE = 64;

/** The variant name of {@link globalPool2dReduceProgram}. */
export const GLOBAL_POOL2D_NAME = 'global-pool2d-nhwc-reduce-f32';

const UNIFORMS = ['slices', 'spatial', 'channelGroups'] as const;

/**
 * Global average or max pooling of NHWC to `[N, 1, 1, C]`: one workgroup per (image,
 * channel group of 4, or channel when C is not a multiple of 4), a workgroup reduction over
 * the H·W positions. The average divides the sum by H·W; the maximum propagates NaN. The
 * reduction is compiled in, the sizes are uniforms. Bindings: x NHWC, y `[N, C]`.
 */
export function globalPool2dReduceProgram(g: GlobalPool2dGeometry): GpuProgram {
  const vectorized = g.channels % 4 === 0;
  const type = vectorized ? 'vec4<f32>' : 'f32';
  const channelGroups = g.channels / (vectorized ? 4 : 1);
  const slices = g.batch * channelGroups;
  const values = { slices, spatial: g.inHeight * g.inWidth, channelGroups };
  const inputs = ['x'];
  const size = GLOBAL_POOL2D_WORKGROUP_SIZE;
  const result = g.type === 'avg' ? `partial[0] / ${type}(f32(params.spatial))` : 'partial[0]';
  return {
    name: GLOBAL_POOL2D_NAME,
    cacheKey: `${GLOBAL_POOL2D_NAME}:${g.type}:${vectorized ? 'vector' : 'scalar'}`,
    workgroupSize: [size, 1, 1],
    inputs,
    dispatch: () => dispatchGrid(slices),
    uniforms: () => UNIFORMS.map((name) => ({ name, value: values[name] })),
    wgsl: () => `${wgslHeader({ inputs }, UNIFORMS, { x: type, y: type })}
${wgslPoolReduce(type, g.type)}

var<workgroup> partial: array<${type}, ${size}>;

// Legend: slice = b · channelGroups + group, the (image, channel group) this workgroup reduces;
// p a position of the H·W plane.
${wgslComputeMain(size)}
  let slice = ${WGSL_WORKGROUP_INDEX};
  // Uniform across the workgroup, so the barriers below stay in uniform control flow.
  if (slice >= params.slices) { return; }
  let group = slice % params.channelGroups;
  let b = slice / params.channelGroups;
  let base = b * params.spatial;
  var acc = poolIdentity();
  for (var p = i32(local); p < params.spatial; p += ${size}) {
    acc = accumulate(acc, x[(base + p) * params.channelGroups + group]);
  }
  partial[local] = acc;
  for (var stride = ${size / 2}u; stride > 0u; stride = stride / 2u) {
    workgroupBarrier();
    if (local < stride) { partial[local] = accumulate(partial[local], partial[local + stride]); }
  }
  if (local == 0u) { y[slice] = ${result}; }
}
`,
  };
}
