import { WGSL_WORKGROUP_INDEX } from './dispatch-grid.js';

/**
 * WGSL that turns an invocation's flat index into the block of output columns it computes:
 * `group` (output channel group of 4, fastest-varying so neighbouring invocations read
 * neighbouring weights), `ox0` (first output column of the block), `oy` and `b`; invocations
 * past `params.total` return. Shared by the register-blocked vec4 programs, whose params
 * hold `total`, `columnBlocks`, `outHeight` and the channel-group count `groupsField`.
 */
export function wgslRowBlockIndex(workgroupSize: number, groupsField: string, columns: number): string {
  return `  let index = ${WGSL_WORKGROUP_INDEX} * ${workgroupSize} + i32(local);
  if (index >= params.total) { return; }
  let group = index % params.${groupsField};
  var rest = index / params.${groupsField};
  let ox0 = (rest % params.columnBlocks) * ${columns};
  rest = rest / params.columnBlocks;
  let oy = rest % params.outHeight;
  let b = rest / params.outHeight;`;
}
