import type { KernelTable } from '../backend.js';
import type { Conv2dGeometry } from '../conv-geometry.js';
import { outputShape } from '../conv-geometry.js';
import { UnsupportedError } from '../errors.js';
import type { QuantParams } from '../quant-params.js';
import type { QuantizedConvWeights } from '../quantized-conv-weights.js';
import { HostQuantizedTensor, isHostQuantizedTensor, type QuantizedTensor } from '../quantized-tensor.js';
import { dequantizeValues, quantizeValues } from '../quantize.js';
import type { ConvRequantization } from '../requantization.js';
import { HostTensor, isHostTensor, type Tensor } from '../tensor.js';
import { referenceConcat } from './concat.js';
import { referenceGlobalPool2d } from './global-pool2d.js';
import { referencePad } from './pad.js';
import { referencePool2d } from './pool2d.js';
import { referenceQuantizedAdd } from './quantized-add.js';
import { referenceQuantizedConv2d } from './quantized-conv2d.js';
import { referenceQuantizedDepthwiseConv2d } from './quantized-depthwise-conv2d.js';
import { referenceQuantizedLookup } from './quantized-lookup.js';
import { referenceQuantizedMul } from './quantized-mul.js';
import { referenceQuantizedGlobalAvgPool2d } from './quantized-global-pool2d.js';
import { referenceQuantizedPointwiseConv2d } from './quantized-pointwise-conv2d.js';
import { referenceQuantizedAvgPool2d } from './quantized-pool2d.js';
import { referenceRequantize } from './quantized-requantize.js';

/** The host int8 data of `t`; the reference backend computes on host tensors only. */
function int8Data(op: string, argument: string, t: QuantizedTensor): Int8Array {
  if (!isHostQuantizedTensor(t)) {
    throw new UnsupportedError(
      op,
      argument,
      `the reference backend takes host tensors only, got an int8 tensor on '${t.location}' (read it back first)`,
    );
  }
  return t.data;
}

function floatData(op: string, argument: string, t: Tensor): Float32Array {
  if (!isHostTensor(t)) {
    throw new UnsupportedError(op, argument, `the reference backend takes host tensors only, got a tensor on '${t.location}' (read it back first)`);
  }
  return t.data;
}

type ConvRun = (x: Int8Array, filter: Int8Array, bias: Int32Array | undefined, g: Conv2dGeometry, r: ConvRequantization) => Int8Array;

/** An int8 convolution kernel: `run` over `x`'s data and the weights' filter, bias and requantization. */
function convKernel(op: string, run: ConvRun) {
  return (_ctx: void, inputs: { x: QuantizedTensor; weights: QuantizedConvWeights; geometry: Conv2dGeometry; output: QuantParams }) => {
    const { x, weights, geometry, output } = inputs;
    const data = run(int8Data(op, 'x', x), weights.filter, weights.bias, geometry, weights.requantization);
    return new HostQuantizedTensor(data, outputShape(geometry), output);
  };
}

/**
 * Int8 copies and maxima run the float reference kernels on the int8 values widened to float32:
 * exact (every int8 is a float32), and one definition of the indexing for both dtypes.
 */
function viaFloat(values: Int8Array, run: (x: Float32Array) => Float32Array): Int8Array {
  return Int8Array.from(run(Float32Array.from(values)));
}

/**
 * The reference int8 kernels (the oracle every backend's int8 kernels must equal bit for bit):
 * host `HostQuantizedTensor`s in and out, over the reference int8 kernels of this folder.
 */
export const referenceQuantizedKernels = {
  quantize: (_ctx, { x, output }) => new HostQuantizedTensor(quantizeValues(floatData('quantize', 'x', x), output), x.shape, output),
  dequantize: (_ctx, { x }) => new HostTensor(dequantizeValues(int8Data('dequantize', 'x', x), x.quantization), x.shape),
  requantize: (_ctx, { x, output, requantization }) =>
    new HostQuantizedTensor(referenceRequantize(int8Data('requantize', 'x', x), requantization), x.shape, output),
  quantizedConv2d: convKernel('quantizedConv2d', referenceQuantizedConv2d),
  quantizedDepthwiseConv2d: convKernel('quantizedDepthwiseConv2d', referenceQuantizedDepthwiseConv2d),
  quantizedPointwiseConv2d: convKernel('quantizedPointwiseConv2d', referenceQuantizedPointwiseConv2d),
  quantizedSeparableConv2d: (_ctx, { x, depthwiseWeights: dw, pointwiseWeights: pw, geometry, output }) => {
    const middle = referenceQuantizedDepthwiseConv2d(
      int8Data('quantizedSeparableConv2d', 'x', x),
      dw.filter,
      dw.bias,
      geometry.depthwise,
      dw.requantization,
    );
    const data = referenceQuantizedPointwiseConv2d(middle, pw.filter, pw.bias, geometry.pointwise, pw.requantization);
    return new HostQuantizedTensor(data, outputShape(geometry.pointwise), output);
  },
  quantizedAdd: (_ctx, { a, b, geometry, output, requantization }) =>
    new HostQuantizedTensor(
      referenceQuantizedAdd(int8Data('quantizedAdd', 'a', a), int8Data('quantizedAdd', 'b', b), geometry, requantization),
      geometry.shape,
      output,
    ),
  quantizedMul: (_ctx, { a, b, geometry, output, requantization }) =>
    new HostQuantizedTensor(
      referenceQuantizedMul(int8Data('quantizedMul', 'a', a), int8Data('quantizedMul', 'b', b), geometry, requantization),
      geometry.shape,
      output,
    ),
  quantizedLookup: (_ctx, { x, table, output }) =>
    new HostQuantizedTensor(referenceQuantizedLookup(int8Data('quantizedLookup', 'x', x), table.values), x.shape, output),
  quantizedPool2d: (_ctx, { x, geometry, output, requantization }) => {
    const data = int8Data('quantizedPool2d', 'x', x);
    const pooled =
      geometry.type === 'avg'
        ? referenceQuantizedAvgPool2d(data, geometry, requantization)
        : viaFloat(data, (values) => referencePool2d(values, geometry));
    return new HostQuantizedTensor(pooled, geometry.shape, output);
  },
  quantizedGlobalPool2d: (_ctx, { x, geometry, output, requantization }) => {
    const data = int8Data('quantizedGlobalPool2d', 'x', x);
    const pooled =
      geometry.type === 'avg'
        ? referenceQuantizedGlobalAvgPool2d(data, geometry, requantization)
        : viaFloat(data, (values) => referenceGlobalPool2d(values, geometry));
    return new HostQuantizedTensor(pooled, geometry.shape, output);
  },
  quantizedConcat: (_ctx, { xs, geometry, output }) => {
    const floats = xs.map((x, i) => Float32Array.from(int8Data('quantizedConcat', `xs[${i}]`, x)));
    return new HostQuantizedTensor(Int8Array.from(referenceConcat(floats, geometry)), geometry.shape, output);
  },
  quantizedPad: (_ctx, { x, geometry, output }) =>
    new HostQuantizedTensor(
      viaFloat(int8Data('quantizedPad', 'x', x), (values) => referencePad(values, geometry)),
      geometry.shape,
      output,
    ),
  quantizedReshape: (_ctx, { x, geometry, output }) => new HostQuantizedTensor(int8Data('quantizedReshape', 'x', x).slice(), geometry.shape, output),
} satisfies Partial<KernelTable<void, Tensor, HostTensor>>;
