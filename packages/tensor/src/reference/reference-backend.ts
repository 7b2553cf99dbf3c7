import type { Backend, BinaryKernelInputs, CapabilityName, ConvKernelInputs, KernelName, KernelTable } from '../backend.js';
import { outputShape, type Conv2dGeometry } from '../conv-geometry.js';
import { defineBackend } from '../define-backend.js';
import { UnsupportedError } from '../errors.js';
import type { ReshapeGeometry } from '../reshape-geometry.js';
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
import { referenceQuantizedKernels } from './quantized-kernels.js';

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

/** A single-step convolution kernel: `run` over the host data of `x`, `filter` and `options.bias`. */
function convKernel(
  op: Exclude<KernelName, 'separableConv2d'>,
  run: (x: Float32Array, filter: Float32Array, bias: Float32Array | undefined, geometry: Conv2dGeometry, residual?: Float32Array) => Float32Array,
) {
  return (_ctx: void, { x, filter, bias, residual, geometry }: ConvKernelInputs<Tensor>): HostTensor =>
    new HostTensor(
      run(
        hostData(op, 'x', x),
        hostData(op, 'filter', filter),
        hostData(op, 'options.bias', bias),
        geometry,
        hostData(op, 'options.residual', residual),
      ),
      outputShape(geometry),
    );
}

/** A kernel of one input `x`: `run` over its host data, the result of shape `geometry.shape`. */
function xKernel<G extends { readonly shape: readonly number[] }>(op: CapabilityName, run: (x: Float32Array, geometry: G) => Float32Array) {
  return (_ctx: void, { x, geometry }: { readonly x: Tensor; readonly geometry: G }): HostTensor =>
    new HostTensor(run(hostData(op, 'x', x), geometry), geometry.shape);
}

/** The reference kernels as a typed table: host tensors in, host tensors out. */
export const referenceKernels = {
  conv2d: convKernel('conv2d', referenceConv2d),
  depthwiseConv2d: convKernel('depthwiseConv2d', referenceDepthwiseConv2d),
  pointwiseConv2d: convKernel('pointwiseConv2d', referenceConv2d),
  separableConv2d: (_ctx, { x, depthwiseFilter, pointwiseFilter, depthwiseBias, bias, residual, geometry }) =>
    new HostTensor(
      referenceSeparableConv2d(
        hostData('separableConv2d', 'x', x),
        hostData('separableConv2d', 'depthwiseFilter', depthwiseFilter),
        hostData('separableConv2d', 'pointwiseFilter', pointwiseFilter),
        hostData('separableConv2d', 'options.depthwiseBias', depthwiseBias),
        hostData('separableConv2d', 'options.bias', bias),
        geometry,
        hostData('separableConv2d', 'options.residual', residual),
      ),
      outputShape(geometry.pointwise),
    ),
  add: (_ctx, { a, b, geometry }) => new HostTensor(referenceAdd(hostData('add', 'a', a), hostData('add', 'b', b), geometry), geometry.shape),
  sub: (_ctx, inputs) => binary(inputs),
  mul: (_ctx, inputs) => binary(inputs),
  div: (_ctx, inputs) => binary(inputs),
  activation: xKernel('activation', referenceActivation),
  concat: (_ctx, { xs, geometry }) =>
    new HostTensor(
      referenceConcat(
        xs.map((x, i) => hostData('concat', `xs[${i}]`, x)),
        geometry,
      ),
      geometry.shape,
    ),
  pad: xKernel('pad', referencePad),
  pool2d: xKernel('pool2d', referencePool2d),
  globalPool2d: xKernel('globalPool2d', referenceGlobalPool2d),
  resizeBilinear: xKernel('resizeBilinear', referenceResizeBilinear),
  softmax: xKernel('softmax', referenceSoftmax),
  reshape: xKernel('reshape', (x, _geometry: ReshapeGeometry) => x.slice()),
  ...referenceQuantizedKernels,
} satisfies KernelTable<void, Tensor, HostTensor>;

/**
 * The reference backend: naive loops with float64 accumulation over host tensors, and the int8
 * capabilities in integers as TensorFlow Lite's reference kernels (results are
 * `HostQuantizedTensor`s). Slow on purpose; it is the definition every other backend is tested against.
 */
export function createReferenceBackend(): Backend {
  return defineBackend({
    name: 'reference',
    context: undefined,
    kernels: referenceKernels,
    residualOps: ['conv2d', 'depthwiseConv2d', 'pointwiseConv2d', 'separableConv2d'],
    read: async (_ctx, x) => hostData('read', 'x', x).slice(),
  });
}
