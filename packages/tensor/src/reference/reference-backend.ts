import type { Backend, KernelTable } from '../backend.js';
import { outputShape } from '../conv-geometry.js';
import { defineBackend } from '../define-backend.js';
import { UnsupportedError } from '../errors.js';
import { HostTensor, isHostTensor, type Tensor } from '../tensor.js';
import { referenceAdd } from './add.js';
import { referenceConv2d } from './conv2d.js';
import { referenceDepthwiseConv2d } from './depthwise-conv2d.js';
import { referenceSeparableConv2d } from './separable-conv2d.js';
import { referenceSoftmax } from './softmax.js';

function hostData(op: string, argument: string, t: Tensor): Float32Array;
function hostData(op: string, argument: string, t: Tensor | undefined): Float32Array | undefined;
function hostData(op: string, argument: string, t: Tensor | undefined): Float32Array | undefined {
  if (t === undefined) return undefined;
  if (!isHostTensor(t)) {
    throw new UnsupportedError(op, argument, `the reference backend takes host tensors only, got a tensor on '${t.location}' (read it back first)`);
  }
  return t.data;
}

/** The reference kernels as a typed table: host tensors in, host tensors out. */
export const referenceKernels = {
  conv2d: (_ctx, { x, filter, bias, geometry }) =>
    new HostTensor(
      referenceConv2d(hostData('conv2d', 'x', x), hostData('conv2d', 'filter', filter), hostData('conv2d', 'options.bias', bias), geometry),
      outputShape(geometry),
    ),
  depthwiseConv2d: (_ctx, { x, filter, bias, geometry }) =>
    new HostTensor(
      referenceDepthwiseConv2d(
        hostData('depthwiseConv2d', 'x', x),
        hostData('depthwiseConv2d', 'filter', filter),
        hostData('depthwiseConv2d', 'options.bias', bias),
        geometry,
      ),
      outputShape(geometry),
    ),
  pointwiseConv2d: (_ctx, { x, filter, bias, geometry }) =>
    new HostTensor(
      referenceConv2d(
        hostData('pointwiseConv2d', 'x', x),
        hostData('pointwiseConv2d', 'filter', filter),
        hostData('pointwiseConv2d', 'options.bias', bias),
        geometry,
      ),
      outputShape(geometry),
    ),
  separableConv2d: (_ctx, { x, depthwiseFilter, pointwiseFilter, depthwiseBias, bias, geometry }) =>
    new HostTensor(
      referenceSeparableConv2d(
        hostData('separableConv2d', 'x', x),
        hostData('separableConv2d', 'depthwiseFilter', depthwiseFilter),
        hostData('separableConv2d', 'pointwiseFilter', pointwiseFilter),
        hostData('separableConv2d', 'options.depthwiseBias', depthwiseBias),
        hostData('separableConv2d', 'options.bias', bias),
        geometry,
      ),
      outputShape(geometry.pointwise),
    ),
  add: (_ctx, { a, b, geometry }) => new HostTensor(referenceAdd(hostData('add', 'a', a), hostData('add', 'b', b), geometry), geometry.shape),
  softmax: (_ctx, { x, geometry }) => new HostTensor(referenceSoftmax(hostData('softmax', 'x', x), geometry), geometry.shape),
  reshape: (_ctx, { x, geometry }) => new HostTensor(hostData('reshape', 'x', x).slice(), geometry.shape),
} satisfies KernelTable<void, Tensor, HostTensor>;

/**
 * The reference backend: naive loops with float64 accumulation over host tensors. Slow on
 * purpose; it is the definition every other backend is tested against.
 */
export function createReferenceBackend(): Backend {
  return defineBackend({
    name: 'reference',
    context: undefined,
    kernels: referenceKernels,
    read: async (_ctx, x) => hostData('read', 'x', x).slice(),
  });
}
