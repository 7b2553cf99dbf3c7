import type { KernelName, KernelVariant } from './backend.js';
import type { Conv2dGeometry, SeparableConv2dGeometry } from './conv-geometry.js';
import { UnsupportedError } from './errors.js';

/** The geometry an op's variants are asked about: separable has two steps, the rest one. */
export type GeometryOf<Op extends KernelName> = Op extends 'separableConv2d' ? SeparableConv2dGeometry : Conv2dGeometry;

/** The members of a variant union `V` that can run `Op`. */
export type VariantFor<V, Op extends KernelName> = V extends { readonly op: infer O } ? (Op extends O ? V : never) : never;

/** Options of {@link selectVariant}. */
export interface SelectVariantOptions<V extends KernelVariant> {
  /**
   * The variant forced for testing and benchmarking (a row or its name): it runs every call of
   * its op whose geometry it supports; other calls use normal dispatch. Not subject to `where`.
   */
  readonly forced?: V | string | undefined;
  /** Narrows normal dispatch, e.g. to the CPU backend's instruction set. */
  readonly where?: (variant: V) => boolean;
  /** How the error message calls the candidates, e.g. `'wasmsimd'` or `'WebGPU'`. */
  readonly label?: string;
}

/** Whether `variant` runs `op` and accepts `geometry` (its `supports` predicate). */
export function variantSupports<Op extends KernelName>(variant: KernelVariant, op: Op, geometry: GeometryOf<Op>): boolean {
  if (variant.op !== op) return false;
  return variant.op === 'separableConv2d' ? variant.supports(geometry as SeparableConv2dGeometry) : variant.supports(geometry as Conv2dGeometry);
}

/**
 * The one variant-selection rule every backend shares: the forced variant when it runs `op` and
 * supports `geometry`, otherwise the first variant of the list (which is in dispatch order:
 * fastest, most specialised first) that passes `where`, runs `op` and supports `geometry`.
 * @throws UnsupportedError naming `op` and `x` when no variant supports the geometry.
 */
export function selectVariant<V extends KernelVariant, Op extends KernelName>(
  variants: readonly V[],
  op: Op,
  geometry: GeometryOf<Op>,
  options: SelectVariantOptions<V> = {},
): VariantFor<V, Op> {
  const { forced, where, label } = options;
  const forcedVariant = typeof forced === 'string' ? variants.find((v) => v.name === forced) : forced;
  if (forcedVariant && variantSupports(forcedVariant, op, geometry)) return forcedVariant as VariantFor<V, Op>;
  const chosen = variants.find((v) => (where === undefined || where(v)) && variantSupports(v, op, geometry));
  if (!chosen) throw new UnsupportedError(op, 'x', `no ${label ? `${label} ` : ''}kernel variant supports this geometry`);
  return chosen as VariantFor<V, Op>;
}
