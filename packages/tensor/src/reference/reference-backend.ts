import { addGeometry } from '../add-geometry.js';
import type { Backend, KernelTable } from '../backend.js';
import {
  conv2dGeometry,
  depthwiseConv2dGeometry,
  outputShape,
  pointwiseConv2dGeometry,
  separableConv2dGeometry,
} from '../conv-geometry.js';
import { UnsupportedError } from '../errors.js';
import { reshapeGeometry } from '../reshape-geometry.js';
import { softmaxGeometry } from '../softmax-geometry.js';
import type { Activation, Conv2dOptions, SeparableConv2dOptions } from '../options.js';
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

/** The reference kernels as a typed table: host tensors in, float32 data out. */
export const referenceKernels = {
  conv2d: (_ctx, { x, filter, bias, geometry }) =>
    referenceConv2d(hostData('conv2d', 'x', x), hostData('conv2d', 'filter', filter), hostData('conv2d', 'options.bias', bias), geometry),
  depthwiseConv2d: (_ctx, { x, filter, bias, geometry }) =>
    referenceDepthwiseConv2d(
      hostData('depthwiseConv2d', 'x', x),
      hostData('depthwiseConv2d', 'filter', filter),
      hostData('depthwiseConv2d', 'options.bias', bias),
      geometry,
    ),
  pointwiseConv2d: (_ctx, { x, filter, bias, geometry }) =>
    referenceConv2d(
      hostData('pointwiseConv2d', 'x', x),
      hostData('pointwiseConv2d', 'filter', filter),
      hostData('pointwiseConv2d', 'options.bias', bias),
      geometry,
    ),
  separableConv2d: (_ctx, { x, depthwiseFilter, pointwiseFilter, depthwiseBias, bias, geometry }) =>
    referenceSeparableConv2d(
      hostData('separableConv2d', 'x', x),
      hostData('separableConv2d', 'depthwiseFilter', depthwiseFilter),
      hostData('separableConv2d', 'pointwiseFilter', pointwiseFilter),
      hostData('separableConv2d', 'options.depthwiseBias', depthwiseBias),
      hostData('separableConv2d', 'options.bias', bias),
      geometry,
    ),
} satisfies KernelTable<void, Tensor, Float32Array>;

/**
 * The reference backend: naive loops with float64 accumulation over host tensors. Slow on
 * purpose; it is the definition every other backend is tested against.
 */
export function createReferenceBackend(): Backend {
  const kernels = referenceKernels;
  return {
    name: 'reference',
    conv2d(x: Tensor, filter: Tensor, options: Conv2dOptions = {}) {
      const geometry = conv2dGeometry(x, filter, options);
      return new HostTensor(kernels.conv2d(undefined, { x, filter, bias: options.bias, geometry }), outputShape(geometry));
    },
    depthwiseConv2d(x: Tensor, filter: Tensor, options: Conv2dOptions = {}) {
      const geometry = depthwiseConv2dGeometry(x, filter, options);
      return new HostTensor(kernels.depthwiseConv2d(undefined, { x, filter, bias: options.bias, geometry }), outputShape(geometry));
    },
    pointwiseConv2d(x: Tensor, filter: Tensor, options: Conv2dOptions = {}) {
      const geometry = pointwiseConv2dGeometry(x, filter, options);
      return new HostTensor(kernels.pointwiseConv2d(undefined, { x, filter, bias: options.bias, geometry }), outputShape(geometry));
    },
    separableConv2d(x: Tensor, depthwiseFilter: Tensor, pointwiseFilter: Tensor, options: SeparableConv2dOptions = {}) {
      const geometry = separableConv2dGeometry(x, depthwiseFilter, pointwiseFilter, options);
      const data = kernels.separableConv2d(undefined, {
        x,
        depthwiseFilter,
        pointwiseFilter,
        depthwiseBias: options.depthwiseBias,
        bias: options.bias,
        geometry,
      });
      return new HostTensor(data, outputShape(geometry.pointwise));
    },
    add(a: Tensor, b: Tensor, options?: { activation?: Activation }) {
      const geometry = addGeometry(a, b, options);
      return new HostTensor(referenceAdd(hostData('add', 'a', a), hostData('add', 'b', b), geometry), geometry.shape);
    },
    softmax(x: Tensor) {
      const geometry = softmaxGeometry(x);
      return new HostTensor(referenceSoftmax(hostData('softmax', 'x', x), geometry), geometry.shape);
    },
    reshape(x: Tensor, shape: readonly number[]) {
      const geometry = reshapeGeometry(x, shape);
      return new HostTensor(hostData('reshape', 'x', x).slice(), geometry.shape);
    },
    async read(x: Tensor) {
      return hostData('read', 'x', x).slice();
    },
    dispose() {},
  };
}
