import type { AddGeometry } from '../add-geometry.js';
import { referenceBinary } from './binary.js';

/** Reference `add`: {@link referenceBinary} with `op: 'add'` (broadcasting, then the activation). */
export function referenceAdd(a: Float32Array, b: Float32Array, g: AddGeometry, out: Float32Array = new Float32Array(g.size)): Float32Array {
  return referenceBinary(a, b, g, out);
}
