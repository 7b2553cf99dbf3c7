/**
 * A GPU program as plain data (CONTRIBUTING.md, conventions): everything needed to compile it and to run
 * it once. Programs with equal `cacheKey` must produce identical WGSL, so the key holds only
 * compile-time facts (activation, bias, vector alignment); every size travels in
 * `uniforms()`, and one pipeline serves every shape.
 */
export interface GpuProgram {
  /** The kernel variant this program implements, e.g. `dwconv2d-nhwc-tiled-c4-f32`. */
  readonly name: string;
  /** Compile-time facts only; equal keys mean equal WGSL. */
  readonly cacheKey: string;
  /** `@workgroup_size` of the entry point; each program names the constant it uses and why. */
  readonly workgroupSize: readonly [number, number, number];
  /** Read-only storage inputs, bound at 0…n−1 in this order; the output follows, then the uniforms. */
  readonly inputs: readonly string[];
  /** The WGSL source; depends only on the facts in `cacheKey`. */
  wgsl(): string;
  /** Workgroup counts `[x, y, z]`, within `maxComputeWorkgroupsPerDimension`. */
  dispatch(): readonly [number, number, number];
  /** Values of the `Params` uniform struct, every field an `i32`, in declaration order. */
  uniforms(): readonly UniformField[];
}

/** One `i32` field of a program's `Params` uniform struct. */
export interface UniformField {
  readonly name: string;
  readonly value: number;
}
