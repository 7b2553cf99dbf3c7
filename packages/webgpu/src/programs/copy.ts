import { dispatchGrid, WGSL_WORKGROUP_INDEX, wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { wgslHeader } from '../wgsl-header.js';

/** 64 invocations, one element each, as for the element-wise add. */
export const COPY_WORKGROUP_SIZE = 64;

const UNIFORMS = ['total'] as const;

/** The variant name of {@link copyProgram}. */
export const COPY_NAME = 'copy-f32';

/**
 * `y[i] = x[i]` over `size` elements: the optional `reshape` capability, which needs a new
 * buffer so the result and its input are disposed independently. A dispatch rather than
 * `copyBufferToBuffer` so it goes through the same bind / run / pool path as every kernel.
 */
export function copyProgram(size: number): GpuProgram {
  const inputs = ['x'];
  return {
    name: COPY_NAME,
    cacheKey: COPY_NAME,
    workgroupSize: [COPY_WORKGROUP_SIZE, 1, 1],
    inputs,
    dispatch: () => dispatchGrid(Math.ceil(size / COPY_WORKGROUP_SIZE)),
    uniforms: () => UNIFORMS.map((name) => ({ name, value: size })),
    wgsl: () => `${wgslHeader({ inputs }, UNIFORMS)}

${wgslComputeMain(COPY_WORKGROUP_SIZE)}
  let index = ${WGSL_WORKGROUP_INDEX} * ${COPY_WORKGROUP_SIZE} + i32(local);
  if (index >= params.total) { return; }
  y[index] = x[index];
}
`,
  };
}
