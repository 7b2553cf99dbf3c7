import { wgslOutputIndex } from './wgsl-output-index.js';

/**
 * WGSL that turns an invocation's flat index into the block of output columns it computes:
 * `group` (output channel group of 4, fastest-varying so neighbouring invocations read
 * neighbouring weights), `ox0` (first output column of the block), `oy` and `b`; invocations
 * past `params.total` return. Shared by the register-blocked vec4 programs, whose params
 * hold `total`, `columnBlocks`, `outHeight` and the channel-group count `groupsField`.
 */
export function wgslRowBlockIndex(workgroupSize: number, groupsField: string, columns: number): string {
  return wgslOutputIndex(workgroupSize, 'group', groupsField, 'ox0', `(rest % params.columnBlocks) * ${columns}`, 'columnBlocks');
}
