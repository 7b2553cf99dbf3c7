/** How TensorFlow.js stores a quantised weight: `uint8`/`uint16` as `min + scale·q`, or IEEE half floats. */
export type Quantization =
  /** Stored integers `q`, read as `q · scale + min`. */
  | { readonly dtype: 'uint8' | 'uint16'; readonly min: number; readonly scale: number }
  /** Stored IEEE 754 half floats, widened exactly. */
  | { readonly dtype: 'float16' };

/** Bytes per stored element of each quantisation dtype. */
export const QUANTIZED_BYTES: Readonly<Record<Quantization['dtype'], number>> = { uint8: 1, uint16: 2, float16: 2 };

/** IEEE 754 binary16 → number (subnormals, infinities and NaN included). */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * Dequantises `count` stored elements, little-endian: `q · scale + min` for uint8/uint16,
 * evaluated in double precision as TensorFlow.js does (and rounded for int32 weights, as it
 * does), half floats widened exactly.
 * @param view exactly the stored bytes (the caller has checked they are in bounds).
 */
export function dequantize(view: DataView, count: number, quantization: Quantization, integer = false): Float32Array {
  const out = new Float32Array(count);
  if (quantization.dtype === 'float16') {
    for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
    return out;
  }
  const { min, scale } = quantization;
  const wide = quantization.dtype === 'uint16';
  for (let i = 0; i < count; i++) {
    const q = wide ? view.getUint16(2 * i, true) : view.getUint8(i);
    const value = q * scale + min;
    out[i] = integer ? Math.round(value) : value;
  }
  return out;
}
