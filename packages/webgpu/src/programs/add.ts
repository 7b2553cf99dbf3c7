import type { AddGeometry } from '@sepconv/tensor';
import { dispatchGrid, WGSL_WORKGROUP_INDEX } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { ACTIVATION_CODES, wgslActivation } from '../wgsl-activation.js';
import { wgslHeader } from '../wgsl-header.js';

/**
 * 64 invocations, one element (or one vec4) each: a multiple of every GPU's SIMD width (32 on
 * NVIDIA, 32/64 on AMD, 8–16 on Intel and SwiftShader) and WebGPU's guaranteed minimum. An
 * element-wise add has no reuse to tile for; it only has to keep the memory system busy.
 */
export const ADD_WORKGROUP_SIZE = 64;

const UNIFORMS = ['total', 'activation'] as const;

/** The variant name of {@link addProgram}. */
export const ADD_NAME = 'add-elementwise-f32';

/**
 * Whether {@link addProgram} reads and writes `vec4<f32>`: when the element count is a
 * multiple of 4, as it is for every MobileNetV2 residual (24, 32, 64, 96, 160 channels).
 * 16-byte accesses quarter the instructions per byte of a purely bandwidth-bound kernel.
 */
export function addIsVectorized(g: AddGeometry): boolean {
  return g.size % 4 === 0;
}

/**
 * Element-wise `y = act(a + b)` over two equally shaped tensors of any rank (MobileNetV2's
 * residual connection): one invocation per element, or per four elements when
 * {@link addIsVectorized}. Bindings: a, b (flat, same layout), y. `a` and `b` may be the same
 * buffer; both are read-only, so WebGPU allows binding it twice.
 */
export function addProgram(g: AddGeometry): GpuProgram {
  const vectorized = addIsVectorized(g);
  const type = vectorized ? 'vec4<f32>' : 'f32';
  const total = vectorized ? g.size / 4 : g.size;
  const inputs = ['a', 'b'];
  const values = { total, activation: ACTIVATION_CODES[g.activation] };
  return {
    name: ADD_NAME,
    cacheKey: `${ADD_NAME}:${vectorized ? 'vector' : 'scalar'}`,
    workgroupSize: [ADD_WORKGROUP_SIZE, 1, 1],
    inputs,
    dispatch: () => dispatchGrid(Math.ceil(total / ADD_WORKGROUP_SIZE)),
    uniforms: () => UNIFORMS.map((name) => ({ name, value: values[name] })),
    wgsl: () => `${wgslHeader({ inputs }, UNIFORMS, { a: type, b: type, y: type })}
${wgslActivation('activate', type)}

// total counts ${vectorized ? 'vec4s' : 'elements'}.
@compute @workgroup_size(${ADD_WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
  let index = ${WGSL_WORKGROUP_INDEX} * ${ADD_WORKGROUP_SIZE} + i32(local);
  if (index >= params.total) { return; }
  y[index] = activate(a[index] + b[index], params.activation);
}
`,
  };
}
