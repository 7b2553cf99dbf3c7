import type { GpuProgram } from '../gpu-program.js';
import { wgslInt8Load, wgslInt8WordMain } from '../wgsl-int8.js';
import { flatProgram } from './flat-program.js';

/** 64 invocations, one output word each: element-wise, no barrier. */
export const QUANTIZED_LOOKUP_WORKGROUP_SIZE = 64;

/** The program name of {@link quantizedLookupProgram}. */
export const QUANTIZED_LOOKUP_NAME = 'lookup-qs8';

const UNIFORMS = ['total', 'words'] as const;

/**
 * Int8 lookup through a 256-entry table (a `QuantizedLookupTable`, 64 packed words in a storage
 * buffer uploaded once per table): `y[i] = table[x[i] + 128]`. Bindings: x, table, y packed int8.
 */
export function quantizedLookupProgram(size: number): GpuProgram {
  const values: Record<(typeof UNIFORMS)[number], number> = { total: size, words: Math.ceil(size / 4) };
  const inputs = ['x', 'table'];
  const workgroup = QUANTIZED_LOOKUP_WORKGROUP_SIZE;
  return flatProgram({
    name: QUANTIZED_LOOKUP_NAME,
    workgroupSize: workgroup,
    invocations: values.words,
    preamble: {
      inputs,
      uniforms: UNIFORMS,
      elementTypes: { x: 'u32', table: 'u32', y: 'u32' },
      functions: [wgslInt8Load('x'), wgslInt8Load('table')],
    },
    values,
    body: () => `fn element(i: i32) -> i32 {
  return load_table(load_x(i) + 128);
}

${wgslInt8WordMain(workgroup)}
`,
  });
}
