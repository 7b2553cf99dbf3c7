/**
 * The most workgroups WebGPU guarantees per dispatch dimension
 * (`maxComputeWorkgroupsPerDimension`'s default); larger counts fold into a second dimension.
 */
export const MAX_WORKGROUPS_PER_DIMENSION = 65535;

/**
 * Spreads `count` workgroups over a 2-D grid so no dimension exceeds the WebGPU default
 * limit. Shaders recover the linear index with {@link WGSL_WORKGROUP_INDEX} and ignore
 * the few surplus workgroups of the last row.
 */
export function dispatchGrid(count: number): [number, number, number] {
  if (count <= MAX_WORKGROUPS_PER_DIMENSION) return [Math.max(count, 1), 1, 1];
  return [MAX_WORKGROUPS_PER_DIMENSION, Math.ceil(count / MAX_WORKGROUPS_PER_DIMENSION), 1];
}

/** WGSL expression for the linear workgroup index of a {@link dispatchGrid} dispatch. */
export const WGSL_WORKGROUP_INDEX = 'i32(workgroupId.x + workgroupId.y * numWorkgroups.x)';

/**
 * The entry point's signature for a {@link dispatchGrid} dispatch, up to its opening brace: the
 * builtins {@link WGSL_WORKGROUP_INDEX} reads (`workgroupId`, `numWorkgroups`) and `local`, the
 * invocation's index in its workgroup.
 */
export function wgslComputeMain(workgroupSize: number): string {
  return `@compute @workgroup_size(${workgroupSize})
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {`;
}
