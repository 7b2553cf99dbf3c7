import type { Backend, BinaryKernelInputs, KernelTable } from '../backend.js';
import { outputShape } from '../conv-geometry.js';
import { defineBackend } from '../define-backend.js';
import { UnsupportedError } from '../errors.js';
import { HostTensor, isHostTensor, type Tensor } from '../tensor.js';
import { referenceActivation } from './activation.js';
import { referenceAdd } from './add.js';
import { referenceBinary } from './binary.js';
import { referenceConcat } from './concat.js';
import { referenceGlobalPool2d } from './global-pool2d.js';
import { referencePad } from './pad.js';
import { referencePool2d } from './pool2d.js';
import { referenceResizeBilinear } from './resize-bilinear.js';
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

function binary({ a, b, geometry }: BinaryKernelInputs<Tensor>): HostTensor {
  return new HostTensor(referenceBinary(hostData(geometry.op, 'a', a), hostData(geometry.op, 'b', b), geometry), geometry.shape);
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
  sub: (_ctx, inputs) => binary(inputs),
  mul: (_ctx, inputs) => binary(inputs),
  div: (_ctx, inputs) => binary(inputs),
  activation: (_ctx, { x, geometry }) =>
    new HostTensor(referenceActivation(hostData('activation', 'x', x), geometry), geometry.shape),
  concat: (_ctx, { xs, geometry }) =>
    new HostTensor(referenceConcat(xs.map((x, i) => hostData('concat', `xs[${i}]`, x)), geometry), geometry.shape),
  pad: (_ctx, { x, geometry }) => new HostTensor(referencePad(hostData('pad', 'x', x), geometry), geometry.shape),
  pool2d: (_ctx, { x, geometry }) => new HostTensor(referencePool2d(hostData('pool2d', 'x', x), geometry), geometry.shape),
  globalPool2d: (_ctx, { x, geometry }) =>
    new HostTensor(referenceGlobalPool2d(hostData('globalPool2d', 'x', x), geometry), geometry.shape),
  resizeBilinear: (_ctx, { x, geometry }) =>
    new HostTensor(referenceResizeBilinear(hostData('resizeBilinear', 'x', x), geometry), geometry.shape),
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
