import { INT8_MIN } from '../quant-params.js';

/**
 * Reference int8 table lookup: `y[i] = table[x[i] + 128]` (a `QuantizedLookupTable`'s values).
 * Legend: i flat element index.
 */
export function referenceQuantizedLookup(x: Int8Array, table: Int8Array): Int8Array {
  const out = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = table[x[i]! - INT8_MIN]!;
  return out;
}
