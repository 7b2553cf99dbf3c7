import {
  addRequantization,
  binaryGeometry,
  concatGeometry,
  depthwiseConv2dGeometry,
  conv2dGeometry,
  globalPool2dGeometry,
  globalPool2dRequantization,
  mulRequantization,
  padGeometry,
  pointwiseConv2dGeometry,
  pool2dGeometry,
  requantizeRequantization,
  zeros,
  type PoolType,
} from '@sepconv/tensor';
import type { GpuProgram } from '../../src/gpu-program.js';
import { dequantizeProgram } from '../../src/programs/dequantize-qs8.js';
import { quantizedAddProgram } from '../../src/programs/quantized-add-qs8.js';
import { quantizedLookupProgram } from '../../src/programs/quantized-lookup-qs8.js';
import { quantizedMulProgram } from '../../src/programs/quantized-mul-qs8.js';
import { quantizedConcatSliceProgram, quantizedCopyProgram, quantizedPadProgram } from '../../src/programs/quantized-data-movement.js';
import { quantizedGlobalPool2dProgram } from '../../src/programs/quantized-global-pool2d.js';
import { quantizedPool2dWindowProgram } from '../../src/programs/quantized-pool2d-window.js';
import { quantizeProgram } from '../../src/programs/quantize-f32.js';
import { requantizeProgram } from '../../src/programs/requantize-qs8.js';
import { webGpuQuantizedVariants, type WebGpuQuantizedConvVariant } from '../../src/quantized-variants.js';

const variant = (name: string) =>
  webGpuQuantizedVariants.find((v): v is WebGpuQuantizedConvVariant => v.name === name && v.op !== 'separableConv2d')!;
const epilogue = (shift: number) => ({
  inputZeroPoint: -5 + shift,
  outputZeroPoint: 37 - shift,
  activationMin: -128 + shift,
  activationMax: 127 - shift,
});
const dw = (shape: number[], filter: number[], options = {}) => depthwiseConv2dGeometry(zeros(shape), zeros(filter), options);
const pw = (shape: number[], filter: number[], options = {}) => pointwiseConv2dGeometry(zeros(shape), zeros(filter), options);
const conv = (shape: number[], filter: number[], options = {}) => conv2dGeometry(zeros(shape), zeros(filter), options);
const params = (scale: number, zeroPoint: number) => ({ scale, zeroPoint });
const pool = (type: PoolType, shape: number[], kernelSize: number, strides: number, pad: number) => {
  const g = pool2dGeometry(zeros(shape), { type, kernelSize, strides, padding: { top: pad, bottom: pad, left: pad, right: pad } });
  return quantizedPool2dWindowProgram(g, { activationMin: -128, activationMax: 127 - pad });
};
const global = (type: PoolType, shape: number[], ratio: number) =>
  quantizedGlobalPool2dProgram(globalPool2dGeometry(zeros(shape), { type }), globalPool2dRequantization(params(0.05, 3), params(0.05 / ratio, -7)));
const add = (aShape: number[], bShape: number[], outScale: number) =>
  quantizedAddProgram(
    binaryGeometry('add', zeros(aShape), zeros(bShape)),
    addRequantization(params(0.05, 1), params(0.02, -3), params(outScale, 9), 'relu'),
  );
const mul = (aShape: number[], bShape: number[], outScale: number) =>
  quantizedMulProgram(
    binaryGeometry('mul', zeros(aShape), zeros(bShape)),
    mulRequantization(params(0.05, 1), params(1 / 256, -128), params(outScale, 9), 'relu6'),
  );
const concatSlice = (shapes: number[][], index: number) => {
  const g = concatGeometry(
    shapes.map((shape) => zeros(shape)),
    { axis: -1 },
  );
  const offset = g.innerSizes.slice(0, index).reduce((a, b) => a + b, 0);
  return quantizedConcatSliceProgram({ size: g.size, outer: g.outer, inner: g.innerSizes[index]!, outInner: g.outInner, offset });
};

/** Two geometries per int8 program that differ in sizes but share compile-time facts (for the snapshot and cache-key tests). */
export const quantizedProgramPairs: [string, GpuProgram, GpuProgram][] = [
  [
    'dwconv2d-nhwc-c4x4-qs8',
    variant('dwconv2d-nhwc-c4x4-qs8').program(dw([1, 56, 56, 128], [3, 3, 128, 1], { padding: 'same' }), epilogue(0)),
    variant('dwconv2d-nhwc-c4x4-qs8').program(dw([2, 13, 11, 8], [5, 5, 8, 1], { strides: 2, dilations: 2 }), epilogue(1)),
  ],
  [
    'dwconv2d-nhwc-generic-qs8',
    variant('dwconv2d-nhwc-generic-qs8').program(dw([1, 56, 56, 7], [3, 3, 7, 2], { padding: 'same' }), epilogue(0)),
    variant('dwconv2d-nhwc-generic-qs8').program(dw([2, 13, 11, 8], [5, 5, 8, 1], { strides: 2 }), epilogue(1)),
  ],
  [
    'pwconv2d-nhwc-gemm4x4-dot4i8-qs8',
    variant('pwconv2d-nhwc-gemm4x4-dot4i8-qs8').program(pw([1, 56, 56, 128], [128, 128]), epilogue(0)),
    variant('pwconv2d-nhwc-gemm4x4-dot4i8-qs8').program(pw([2, 7, 9, 16], [16, 4]), epilogue(1)),
  ],
  [
    'pwconv2d-nhwc-gemm4x4-unpacked-qs8',
    variant('pwconv2d-nhwc-gemm4x4-unpacked-qs8').program(pw([1, 56, 56, 128], [128, 128]), epilogue(0)),
    variant('pwconv2d-nhwc-gemm4x4-unpacked-qs8').program(pw([2, 7, 9, 16], [16, 4]), epilogue(1)),
  ],
  [
    'pwconv2d-nhwc-c4-dot4i8-qs8',
    variant('pwconv2d-nhwc-c4-dot4i8-qs8').program(pw([1, 56, 56, 128], [128, 128]), epilogue(0)),
    variant('pwconv2d-nhwc-c4-dot4i8-qs8').program(pw([2, 7, 9, 16], [16, 4], { strides: 2 }), epilogue(1)),
  ],
  [
    'pwconv2d-nhwc-c4-unpacked-qs8',
    variant('pwconv2d-nhwc-c4-unpacked-qs8').program(pw([1, 56, 56, 128], [128, 128]), epilogue(0)),
    variant('pwconv2d-nhwc-c4-unpacked-qs8').program(pw([2, 7, 9, 16], [16, 4], { strides: 2 }), epilogue(1)),
  ],
  [
    'pwconv2d-nhwc-generic-qs8',
    variant('pwconv2d-nhwc-generic-qs8').program(pw([1, 56, 56, 7], [7, 33]), epilogue(0)),
    variant('pwconv2d-nhwc-generic-qs8').program(pw([2, 7, 9, 16], [16, 4]), epilogue(1)),
  ],
  [
    'conv2d-nhwc-c4-dot4i8-qs8',
    variant('conv2d-nhwc-c4-dot4i8-qs8').program(conv([1, 56, 56, 32], [3, 3, 32, 64], { padding: 'same' }), epilogue(0)),
    variant('conv2d-nhwc-c4-dot4i8-qs8').program(conv([2, 9, 9, 8], [5, 3, 8, 4], { dilations: 2 }), epilogue(1)),
  ],
  [
    'conv2d-nhwc-c4-unpacked-qs8',
    variant('conv2d-nhwc-c4-unpacked-qs8').program(conv([1, 56, 56, 32], [3, 3, 32, 64], { padding: 'same' }), epilogue(0)),
    variant('conv2d-nhwc-c4-unpacked-qs8').program(conv([2, 9, 9, 8], [5, 3, 8, 4], { dilations: 2 }), epilogue(1)),
  ],
  [
    'conv2d-nhwc-generic-qs8',
    variant('conv2d-nhwc-generic-qs8').program(conv([1, 224, 224, 3], [3, 3, 3, 32], { strides: 2, padding: 'same' }), epilogue(0)),
    variant('conv2d-nhwc-generic-qs8').program(conv([2, 9, 9, 5], [5, 3, 5, 7], { dilations: 2 }), epilogue(1)),
  ],
  ['quantize-f32-qs8', quantizeProgram(1000, params(0.05, -3)), quantizeProgram(7, params(3, 127))],
  ['dequantize-qs8-f32', dequantizeProgram(1000, params(0.05, -3)), dequantizeProgram(7, params(3, 127))],
  [
    'requantize-qs8',
    requantizeProgram(1000, requantizeRequantization(params(0.05, -3), params(0.1, 4))),
    requantizeProgram(7, requantizeRequantization(params(0.05, 1), params(0.001, -128))),
  ],
  ['add-broadcast-qs8', add([1, 28, 28, 32], [1, 28, 28, 32], 0.1), add([2, 1, 1, 5], [2, 3, 3, 5], 0.07)],
  ['mul-broadcast-qs8', mul([1, 28, 28, 72], [1, 1, 1, 72], 0.04), mul([2, 3, 3, 5], [2, 3, 3, 5], 0.3)],
  ['lookup-qs8', quantizedLookupProgram(1000), quantizedLookupProgram(7)],
  ['avgpool2d-nhwc-window-qs8', pool('avg', [1, 14, 14, 32], 3, 2, 1), pool('avg', [2, 9, 7, 5], 2, 3, 0)],
  ['maxpool2d-nhwc-window-qs8', pool('max', [1, 14, 14, 32], 3, 2, 1), pool('max', [2, 9, 7, 5], 2, 3, 0)],
  ['global-avgpool2d-nhwc-qs8', global('avg', [1, 7, 7, 1280], 1), global('avg', [3, 5, 9, 3], 3)],
  ['global-maxpool2d-nhwc-qs8', global('max', [1, 7, 7, 1280], 1), global('max', [3, 5, 9, 3], 3)],
  ['copy-qs8', quantizedCopyProgram(1000), quantizedCopyProgram(7)],
  [
    'pad-constant-qs8',
    quantizedPadProgram(padGeometry(zeros([1, 28, 28, 32]), { top: 1, bottom: 1, left: 1, right: 1 }, { value: -3 })),
    quantizedPadProgram(padGeometry(zeros([2, 5, 7, 5]), { top: 2, bottom: 0, left: 0, right: 3 }, { value: 127 })),
  ],
  [
    'concat-slice-qs8',
    concatSlice(
      [
        [1, 28, 28, 32],
        [1, 28, 28, 32],
      ],
      1,
    ),
    concatSlice(
      [
        [2, 3, 5],
        [2, 3, 7],
        [2, 3, 1],
      ],
      2,
    ),
  ],
];
