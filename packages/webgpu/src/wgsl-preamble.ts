import { wgslHeader } from './wgsl-header.js';

/**
 * What a program's WGSL declares before its own code: the language features it needs, its
 * bindings and `Params` struct ({@link wgslHeader}), and the helper functions it calls. The same
 * `uniforms` list makes the struct and (through `flatProgram`) the values, so they cannot drift.
 */
export interface WgslPreamble<U extends string = string> {
  /** Read-only storage inputs, bound at 0…n−1 in this order; the output `y` follows, then `params`. */
  readonly inputs: readonly string[];
  /** The `Params` fields, every one an `i32`, in declaration order. */
  readonly uniforms: readonly U[];
  /** Element type of each binding by name (`y` the output); default `f32`. */
  readonly elementTypes?: Readonly<Record<string, string>> | undefined;
  /** WGSL language features the program needs, each a `requires` directive (which WGSL wants first). */
  readonly requires?: readonly string[] | undefined;
  /** Helper functions, declared after the bindings in this order. */
  readonly functions?: readonly string[] | undefined;
}

/** The WGSL of `preamble`: `requires` directives, bindings and `Params`, helper functions, one per line block. */
export function wgslPreamble(preamble: WgslPreamble): string {
  return [
    ...(preamble.requires ?? []).map((feature) => `requires ${feature};`),
    wgslHeader(preamble, preamble.uniforms, preamble.elementTypes),
    ...(preamble.functions ?? []),
  ].join('\n');
}
