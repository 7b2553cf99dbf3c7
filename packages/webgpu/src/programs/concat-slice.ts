import { WGSL_WORKGROUP_INDEX, wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { flatProgram } from './flat-program.js';

/**
 * Where one input of a concatenation lands in the output, both seen as `[outer, inner]`:
 * `outer` is the product of the dims before the axis; the input's rows are `inner` elements
 * (its axis dim × the dims after it), the output's `outInner`, and the input's row starts
 * `offset` elements into the output's row.
 */
export interface ConcatSlice {
  readonly outer: number;
  readonly inner: number;
  readonly outInner: number;
  readonly offset: number;
}

/** 64 invocations, one element (or vec4) each: a copy has nothing to tile for. */
export const CONCAT_WORKGROUP_SIZE = 64;

/** The variant name of {@link concatSliceProgram}. */
export const CONCAT_SLICE_NAME = 'concat-slice-f32';

const UNIFORMS = ['total', 'inner', 'outInner', 'offset'] as const;

/** Whether a slice moves as `vec4<f32>`: its row length, the output's and its offset all multiples of 4. */
export function concatSliceIsVectorized(s: ConcatSlice): boolean {
  return s.inner % 4 === 0 && s.outInner % 4 === 0 && s.offset % 4 === 0;
}

/**
 * Copies one input of a concatenation into its slice of the output:
 * `y[o · outInner + offset + i] = x[o · inner + i]`. A concatenation runs one such dispatch
 * per input rather than one program over the output: any number of inputs works with one
 * binding layout (WebGPU guarantees only 8 storage buffers per shader stage, and a program
 * reading n inputs would need a pipeline per n), while the bytes moved are the same — each
 * input read once, each output element written once. Bindings: x (flat), y (the whole output).
 */
export function concatSliceProgram(s: ConcatSlice): GpuProgram {
  const vectorized = concatSliceIsVectorized(s);
  const lanes = vectorized ? 4 : 1;
  const type = vectorized ? 'vec4<f32>' : 'f32';
  const total = (s.outer * s.inner) / lanes;
  const values = { total, inner: s.inner / lanes, outInner: s.outInner / lanes, offset: s.offset / lanes };
  const inputs = ['x'];
  return flatProgram({
    name: CONCAT_SLICE_NAME,
    cacheKey: `${CONCAT_SLICE_NAME}:${vectorized ? 'vector' : 'scalar'}`,
    workgroupSize: CONCAT_WORKGROUP_SIZE,
    invocations: total,
    preamble: { inputs, uniforms: UNIFORMS, elementTypes: { x: type, y: type } },
    values,
    body: () => `// Every count is in ${vectorized ? 'vec4s' : 'elements'}. Legend: o outer index, i index within the input's row.
${wgslComputeMain(CONCAT_WORKGROUP_SIZE)}
  let index = ${WGSL_WORKGROUP_INDEX} * ${CONCAT_WORKGROUP_SIZE} + i32(local);
  if (index >= params.total) { return; }
  let o = index / params.inner;
  let i = index % params.inner;
  y[o * params.outInner + params.offset + i] = x[index];
}
`,
  });
}
