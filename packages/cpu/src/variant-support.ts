import { isaSupport, type Isa } from './isa.js';

/** What decides whether a kernel variant runs here: its ISA, and any engine check beyond it. */
export interface VariantRequirements {
  readonly isa: Isa;
  /** A further check of the engine (e.g. that an instruction is exact): `undefined` when it passes, else why not. */
  readonly engineSupport?: (() => string | undefined) | undefined;
}

/** Whether dispatch on a backend of `isa` may pick variant `v` (forcing one checks {@link variantSupport} instead). */
export function dispatchableOn(v: VariantRequirements, isa: Isa): boolean {
  return v.isa === isa && v.engineSupport?.() === undefined;
}

/** `undefined` when variant `v` runs in this runtime, else the reason it does not. */
export function variantSupport(v: VariantRequirements): string | undefined {
  return isaSupport().get(v.isa) ?? v.engineSupport?.();
}
