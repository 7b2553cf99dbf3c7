import type { PadGeometry } from '@sepconv/tensor';
import { dispatchGrid } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { wgslHeader } from '../wgsl-header.js';
import { wgslInt8Load, wgslInt8WordMain } from '../wgsl-int8.js';

/** 64 invocations, one output word each: copies, no barrier. */
export const QUANTIZED_COPY_WORKGROUP_SIZE = 64;

/**
 * An int8 program that copies: one output word per invocation, each element from `element`
 * (WGSL over the params `uniforms`; `keepsOutput` for one that leaves some bytes as they are).
 */
function int8CopyProgram(name: string, values: Readonly<Record<string, number>>, element: string, keepsOutput = false): GpuProgram {
  const uniforms = Object.keys(values);
  const inputs = ['x'];
  const workgroup = QUANTIZED_COPY_WORKGROUP_SIZE;
  return {
    name,
    cacheKey: name,
    workgroupSize: [workgroup, 1, 1],
    inputs,
    dispatch: () => dispatchGrid(Math.ceil(values.words! / workgroup)),
    uniforms: () => uniforms.map((field) => ({ name: field, value: values[field]! })),
    wgsl: () => `${wgslHeader({ inputs }, uniforms, { x: 'u32', y: 'u32' })}
${wgslInt8Load('x')}

${element}

${wgslInt8WordMain(workgroup, keepsOutput)}
`,
  };
}

/** `y[i] = x[i]` over `size` int8 elements: `quantizedReshape`'s copy into a buffer of its own. */
export function quantizedCopyProgram(size: number): GpuProgram {
  return int8CopyProgram('copy-qs8', { total: size, words: Math.ceil(size / 4) }, 'fn element(i: i32) -> i32 { return load_x(i); }');
}

/** NHWC int8 `x` with `geometry.value` (the zero point) in the padded rows and columns. */
export function quantizedPadProgram(g: PadGeometry): GpuProgram {
  const values = {
    total: g.size,
    words: Math.ceil(g.size / 4),
    inHeight: g.inHeight,
    inWidth: g.inWidth,
    channels: g.channels,
    outHeight: g.outHeight,
    outWidth: g.outWidth,
    padTop: g.padTop,
    padLeft: g.padLeft,
    value: g.value,
  };
  return int8CopyProgram(
    'pad-constant-qs8',
    values,
    `// Legend: c channel, b batch, oy/ox output position, iy/ix input position.
fn element(i: i32) -> i32 {
  let c = i % params.channels;
  var rest = i / params.channels;
  let ox = rest % params.outWidth;
  rest = rest / params.outWidth;
  let oy = rest % params.outHeight;
  let b = rest / params.outHeight;
  let iy = oy - params.padTop;
  let ix = ox - params.padLeft;
  if (iy < 0 || iy >= params.inHeight || ix < 0 || ix >= params.inWidth) { return params.value; }
  return load_x(((b * params.inHeight + iy) * params.inWidth + ix) * params.channels + c);
}`,
  );
}

/** Where one input of a concatenation lands: `outer` runs of `inner` elements, at `offset` in each `outInner` run of the output. */
export interface Int8ConcatSlice {
  readonly size: number;
  readonly outer: number;
  readonly inner: number;
  readonly outInner: number;
  readonly offset: number;
}

/**
 * One input of an int8 concatenation copied into its slice of the output. Each invocation owns a
 * whole output word and keeps the bytes other inputs own (the next dispatch fills them), so the
 * inputs need no byte alignment; one dispatch per input, in order, as the float `concat`.
 */
export function quantizedConcatSliceProgram(slice: Int8ConcatSlice): GpuProgram {
  const values = { total: slice.size, words: Math.ceil(slice.size / 4), inner: slice.inner, outInner: slice.outInner, offset: slice.offset };
  return int8CopyProgram(
    'concat-slice-qs8',
    values,
    `fn element(i: i32, old: i32) -> i32 {
  let j = i % params.outInner - params.offset;
  if (j < 0 || j >= params.inner) { return old; }
  return load_x((i / params.outInner) * params.inner + j);
}`,
    true,
  );
}
