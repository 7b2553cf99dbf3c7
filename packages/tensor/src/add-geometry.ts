import { binaryGeometry, type BinaryGeometry } from './binary-geometry.js';
import type { BinaryOptions } from './options.js';
import type { Tensor } from './tensor.js';

/** The geometry of `add`: a {@link BinaryGeometry} whose `op` is `'add'`. */
export type AddGeometry = BinaryGeometry;

/**
 * Validates `add(a, b, options)`: `binaryGeometry('add', a, b, options)`, so `add` broadcasts
 * like `sub`, `mul` and `div` (a residual connection has equal shapes; a per-channel bias or a
 * scalar offset broadcasts).
 */
export function addGeometry(a: Tensor, b: Tensor, options?: BinaryOptions): AddGeometry {
  return binaryGeometry('add', a, b, options);
}
