import { HostTensor } from '@sepconv/tensor';
import type { Int32Weight, Int8Weight, QuantizedWeight, QuantizedWeightMap } from '../quantize/quantized-model-spec.js';
import type { WeightMap } from '../weights/weight-map.js';

/**
 * A host tensor as it crosses to or from a worker: structured cloning keeps a `Float32Array`
 * but not the `HostTensor` class, so the data and shape travel and the tensor is rebuilt.
 */
export interface EncodedTensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** A model's input or output as it crosses: one tensor, or a record of them by input or output name. */
export type EncodedTensors = { readonly tensor: EncodedTensor } | { readonly record: { readonly [name: string]: EncodedTensor } };

/** One host tensor, or a record of them by name (a graph with several inputs or outputs). */
export type HostTensors = HostTensor | { readonly [name: string]: HostTensor };

/** Moves (`transfer`) or copies a tensor's data into an encoded tensor, adding what moves to `transferList`. */
export function encodeTensor(x: HostTensor, transfer: boolean, transferList: Transferable[]): EncodedTensor {
  // A view on part of a larger buffer cannot move without taking the rest along: copy it.
  const whole = x.data.byteOffset === 0 && x.data.byteLength === x.data.buffer.byteLength && x.data.buffer instanceof ArrayBuffer;
  const data = transfer && whole ? x.data : x.data.slice();
  transferList.push(data.buffer);
  return { data, shape: [...x.shape] };
}

export function decodeTensor(encoded: EncodedTensor): HostTensor {
  return new HostTensor(encoded.data, encoded.shape);
}

/**
 * A weight as it crosses: a float tensor encoded (its class does not survive cloning), an int8
 * kernel or int32 bias of a quantized model as it is (plain data and typed arrays clone as they are).
 */
export type EncodedWeight = EncodedTensor | Int8Weight | Int32Weight;

/** The typed array a weight holds: a buffer can move only once. */
function copyOrMove<T extends Int8Array | Int32Array | Float32Array>(data: T, transfer: boolean, transferList: Transferable[]): T {
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
  const moved = transfer && whole ? data : (data.slice() as T);
  transferList.push(moved.buffer as ArrayBuffer);
  return moved;
}

function encodeWeight(weight: QuantizedWeight, transfer: boolean, transferList: Transferable[]): EncodedWeight {
  if (weight instanceof HostTensor) return encodeTensor(weight, transfer, transferList);
  if (weight.dtype === 'int8') return { ...weight, data: copyOrMove(weight.data, transfer, transferList), scales: weight.scales.slice() };
  return { ...weight, data: copyOrMove(weight.data, transfer, transferList) };
}

/** A weight map (float, or a quantized model's) as entries; its buffers move when `transfer`, leaving the caller's tensors empty. */
export function encodeWeights(
  weights: WeightMap | QuantizedWeightMap,
  transfer: boolean,
  transferList: Transferable[],
): (readonly [string, EncodedWeight])[] {
  // One weight tensor may serve several names; its buffer can move only once.
  const moved = new Set<ArrayBufferLike>();
  return [...weights].map(([name, weight]) => {
    const canMove = transfer && !moved.has(weight.data.buffer);
    moved.add(weight.data.buffer);
    return [name, encodeWeight(weight, canMove, transferList)] as const;
  });
}

export function decodeWeights(entries: readonly (readonly [string, EncodedWeight])[]): WeightMap | QuantizedWeightMap {
  return new Map(entries.map(([name, weight]) => [name, 'dtype' in weight ? weight : decodeTensor(weight)]));
}

/** A predict's input (moved when `transfer`) or a worker's result (always moved: the worker keeps nothing of it). */
export function encodeTensors(tensors: HostTensors, transfer: boolean, transferList: Transferable[]): EncodedTensors {
  if (tensors instanceof HostTensor) return { tensor: encodeTensor(tensors, transfer, transferList) };
  return { record: Object.fromEntries(Object.entries(tensors).map(([name, y]) => [name, encodeTensor(y, transfer, transferList)])) };
}

export function decodeTensors(encoded: EncodedTensors): HostTensors {
  if ('tensor' in encoded) return decodeTensor(encoded.tensor);
  return Object.fromEntries(Object.entries(encoded.record).map(([name, y]) => [name, decodeTensor(y)]));
}
