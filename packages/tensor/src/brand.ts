/**
 * Brands that recognise sepconv objects without relying on object identity. When two copies
 * of `@sepconv/tensor` are installed (an app and a backend resolving different versions), a
 * `HostTensor` or `ShapeError` built by one copy is not an instance of the other copy's class;
 * a key in the global symbol registry (`Symbol.for('sepconv.…')`) is the same in both.
 */

/** The registry symbol a branded class marks its prototype with: `Symbol.for('sepconv.' + name)`. */
export function brandSymbol(name: string): symbol {
  return Symbol.for(`sepconv.${name}`);
}

const BRAND = Symbol.for('sepconv.brand');

interface Branded {
  readonly [BRAND]?: symbol;
}

/**
 * Marks `target.prototype` (and so every instance, of this copy or of a subclass) with the brand
 * `Symbol.for('sepconv.' + name)`, and records it on `target` so {@link hasBrand} can look it up.
 * The property is not enumerable: it never shows in `JSON.stringify`, spreads or test diffs.
 */
export function brandClass(target: abstract new (...args: never[]) => unknown, name: string): void {
  const symbol = brandSymbol(name);
  Object.defineProperty(target.prototype, symbol, { value: true });
  Object.defineProperty(target, BRAND, { value: symbol });
}

/**
 * `instanceof` that also accepts instances of the same-named class of another copy of this
 * package: true when ordinary `instanceof` holds, or when `target` carries its own brand
 * (a subclass that did not brand itself falls back to ordinary `instanceof` only) and `value`
 * has it.
 */
export function hasBrand(target: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(target, value)) return true;
  if (!Object.prototype.hasOwnProperty.call(target, BRAND)) return false;
  const symbol = (target as Branded)[BRAND]!;
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[symbol] === true;
}
