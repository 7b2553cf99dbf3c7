import { dispatchGrid } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { wgslPreamble, type WgslPreamble } from '../wgsl-preamble.js';

/** What {@link flatProgram} needs: the facts that differ between programs of one flat grid. */
export interface FlatProgramSpec<U extends string> {
  /** The kernel variant's name; also the cache key unless `cacheKey` is given. */
  readonly name: string;
  readonly cacheKey?: string | undefined;
  /** Invocations per workgroup (one dimension); each program names its constant and says why. */
  readonly workgroupSize: number;
  /** How many invocations the dispatch needs; the surplus of the last workgroup returns early. */
  readonly invocations: number;
  readonly preamble: WgslPreamble<U>;
  /** The value of every uniform, by name. */
  readonly values: Readonly<Record<U, number>>;
  /** The program's own WGSL after the preamble (and a blank line): its legend, entry point and body. */
  body(): string;
}

/**
 * A {@link GpuProgram} over a flat grid of `invocations` (`dispatchGrid`, one dimension of
 * `workgroupSize`): the entry point `wgslComputeMain` declares and `WGSL_WORKGROUP_INDEX`
 * reads. Its uniforms are the preamble's list with `values`, so struct and values agree.
 */
export function flatProgram<U extends string>(spec: FlatProgramSpec<U>): GpuProgram {
  const { preamble, values, workgroupSize } = spec;
  return {
    name: spec.name,
    cacheKey: spec.cacheKey ?? spec.name,
    workgroupSize: [workgroupSize, 1, 1],
    inputs: preamble.inputs,
    dispatch: () => dispatchGrid(Math.ceil(spec.invocations / workgroupSize)),
    uniforms: () => preamble.uniforms.map((name) => ({ name, value: values[name] })),
    wgsl: () => `${wgslPreamble(preamble)}\n\n${spec.body()}`,
  };
}
