import { describeValue, ValueError } from '@sepconv/tensor';

/**
 * Weight data as the readers take it: the bytes of every shard, concatenated in manifest order,
 * as an `ArrayBuffer` (what `fetch(...).arrayBuffer()` gives) or any view of one — a
 * `Uint8Array` (Node's `Buffer`, `readFile`), another typed array or a `DataView`.
 */
export type WeightData = ArrayBufferLike | ArrayBufferView;

function isBuffer(value: unknown): value is ArrayBufferLike {
  const tag = Object.prototype.toString.call(value);
  return tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]';
}

/**
 * The bytes of `data` as a `Uint8Array` over the same memory (no copy).
 * @throws ValueError naming `op` and `weightData` for anything that is not a buffer or a view of one.
 */
export function weightBytes(op: string, data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (isBuffer(data)) return new Uint8Array(data);
  throw new ValueError(
    op,
    'weightData',
    `weightData must be an ArrayBuffer or an ArrayBufferView (Uint8Array, any typed array, DataView), got ${describeValue(data)}`,
  );
}
