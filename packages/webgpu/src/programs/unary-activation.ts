import type { UnaryGeometry } from '@sepconv/tensor';
import { WGSL_WORKGROUP_INDEX, wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { ACTIVATION_CODES, wgslActivation } from '../wgsl-activation.js';
import { flatProgram } from './flat-program.js';

/** 64 invocations, one element (or vec4) each, as for every element-wise program. */
export const UNARY_WORKGROUP_SIZE = 64;

/** The variant name of {@link unaryActivationProgram}. */
export const UNARY_ACTIVATION_NAME = 'activation-elementwise-f32';

const UNIFORMS = ['total', 'activation'] as const;

/**
 * `y = act(x)` element-wise, for every activation (ReLU, ReLU6, sigmoid, hard-sigmoid,
 * hard-swish, linear as a copy): the activation is a uniform, so one pipeline serves them
 * all. Reads and writes `vec4<f32>` when the element count is a multiple of 4 (16-byte
 * accesses quarter the instructions of a bandwidth-bound kernel). Bindings: x (flat), y.
 */
export function unaryActivationProgram(g: UnaryGeometry): GpuProgram {
  const vectorized = g.size % 4 === 0;
  const type = vectorized ? 'vec4<f32>' : 'f32';
  const total = vectorized ? g.size / 4 : g.size;
  const inputs = ['x'];
  const values = { total, activation: ACTIVATION_CODES[g.activation] };
  return flatProgram({
    name: UNARY_ACTIVATION_NAME,
    cacheKey: `${UNARY_ACTIVATION_NAME}:${vectorized ? 'vector' : 'scalar'}`,
    workgroupSize: UNARY_WORKGROUP_SIZE,
    invocations: total,
    preamble: { inputs, uniforms: UNIFORMS, elementTypes: { x: type, y: type }, functions: [wgslActivation('activate', type, 'all')] },
    values,
    body: () => `// total counts ${vectorized ? 'vec4s' : 'elements'}.
${wgslComputeMain(UNARY_WORKGROUP_SIZE)}
  let index = ${WGSL_WORKGROUP_INDEX} * ${UNARY_WORKGROUP_SIZE} + i32(local);
  if (index >= params.total) { return; }
  y[index] = activate(x[index], params.activation);
}
`,
  });
}
