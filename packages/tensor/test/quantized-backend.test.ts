// The int8 capabilities of the Backend contract: QuantizedConvWeights' validation, defineBackend's
// wiring (validation before the kernel, readQuantized) and the reference backend's int8 kernels
// against the reference functions they wrap. The shape classes are @sepconv/conformance's int8 suite.
import { describe, expect, it } from 'vitest';
import {
  convGeometry,
  defineBackend,
  DTypeError,
  HostQuantizedTensor,
  HostTensor,
  QuantizedConvWeights,
  ShapeError,
  tensor,
  UnsupportedError,
  ValueError,
  zeros,
  type KernelTable,
  type QuantizedConvWeightsSpec,
  type QuantizedTensor,
  type Tensor,
} from '../src/index.js';
import {
  createReferenceBackend,
  referenceQuantizedConv2d,
  referenceQuantizedDepthwiseConv2d,
  referenceQuantizedPointwiseConv2d,
} from '../src/reference/index.js';

const input = { scale: 0.05, zeroPoint: -3 };
const middle = { scale: 0.08, zeroPoint: 5 };
const output = { scale: 0.1, zeroPoint: 7 };

function int8(shape: number[], seed: number, quantization = input): HostQuantizedTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return new HostQuantizedTensor(
    Int8Array.from({ length: size }, (_, i) => ((i * 37 + seed * 11) % 255) - 127),
    shape,
    quantization,
  );
}

function weights(spec: Partial<QuantizedConvWeightsSpec> & Pick<QuantizedConvWeightsSpec, 'kind' | 'filterShape'>): QuantizedConvWeights {
  const size = spec.filterShape.reduce((a, b) => a * b, 1);
  const outChannels = spec.kind === 'depthwiseConv2d' ? spec.filterShape[2]! * spec.filterShape[3]! : spec.filterShape.at(-1)!;
  return new QuantizedConvWeights({
    filter: Int8Array.from({ length: size }, (_, i) => ((i * 53) % 255) - 127),
    bias: Int32Array.from({ length: outChannels }, (_, o) => o * 97 - 200),
    weightScales: Float32Array.from({ length: outChannels }, (_, o) => 0.002 * (o + 1)),
    input,
    output,
    ...spec,
  });
}

describe('QuantizedConvWeights', () => {
  it('computes the requantization record once from the scales and freezes itself', () => {
    const w = weights({ kind: 'conv2d', filterShape: [3, 3, 2, 4], activation: 'relu6' });
    expect(w.outChannels).toBe(4);
    expect(w.requantization.inputZeroPoint).toBe(-3);
    expect(w.requantization.outputZeroPoint).toBe(7);
    expect(w.requantization.activationMin).toBe(7);
    expect(w.requantization.activationMax).toBe(67);
    expect(w.requantization.multipliers).toHaveLength(4);
    expect(Object.isFrozen(w)).toBe(true);
    expect(weights({ kind: 'depthwiseConv2d', filterShape: [3, 3, 2, 3] }).outChannels).toBe(6);
    expect(weights({ kind: 'pointwiseConv2d', filterShape: [1, 1, 5, 2] }).inChannels).toBe(5);
  });

  it('refuses bad fields with typed errors naming them', () => {
    const bad = (spec: Partial<QuantizedConvWeightsSpec>) => () => weights({ kind: 'conv2d', filterShape: [1, 1, 2, 2], ...spec });
    expect(bad({ kind: 'conv3d' as never })).toThrow(/kind must be one of/);
    expect(bad({ filterShape: [2, 2] })).toThrow(ShapeError);
    expect(bad({ filter: new Int8Array(3) })).toThrow(/filter length 3 does not match/);
    expect(bad({ filter: new Uint8Array(4) as never })).toThrow(DTypeError);
    expect(bad({ filter: Int8Array.from([0, -128, 0, 0]) })).toThrow(/\[-127, 127\].*-128 at index 1/);
    expect(bad({ bias: new Int32Array(3) })).toThrow(/bias must hold outChannels=2/);
    expect(bad({ bias: new Float32Array(2) as never })).toThrow(DTypeError);
    expect(bad({ weightScales: [1] })).toThrow(/weightScales must hold outChannels=2/);
    expect(bad({ weightScales: [1, 0] })).toThrow(/weightScales\[1\] must be a finite number > 0/);
    expect(bad({ input: { scale: 1, zeroPoint: 128 } })).toThrow(/input.zeroPoint/);
    expect(bad({ output: { scale: -1, zeroPoint: 0 } })).toThrow(/output.scale/);
    expect(bad({ activation: 'hardSwish' as never })).toThrow(UnsupportedError);
    expect(() => weights({ kind: 'pointwiseConv2d', filterShape: [3, 3, 2, 2] })).toThrow(/pointwiseConv2d must be \[inChannels, outChannels\]/);
  });
});

describe('quantization parameters', () => {
  it('keep their scale rounded to float32, so every backend divides and multiplies by the same scale', () => {
    expect(new HostQuantizedTensor(new Int8Array(1), [1], { scale: 0.1, zeroPoint: 0 }).quantization.scale).toBe(Math.fround(0.1));
    expect(weights({ kind: 'pointwiseConv2d', filterShape: [1, 1], output: { scale: 0.3, zeroPoint: 0 } }).output.scale).toBe(Math.fround(0.3));
    expect(() => new HostQuantizedTensor(new Int8Array(1), [1], { scale: 1e-50, zeroPoint: 0 })).toThrow(/representable as a float32 > 0/);
    expect(() => new HostQuantizedTensor(new Int8Array(1), [1], { scale: 1e39, zeroPoint: 0 })).toThrow(ValueError);
  });
});

describe('the reference backend int8 capabilities', () => {
  const backend = createReferenceBackend();

  it('runs each convolution as the reference function with the weights record', async () => {
    const x = int8([2, 5, 6, 2], 1);
    const w = weights({ kind: 'conv2d', filterShape: [3, 2, 2, 3], activation: 'relu' });
    const y = backend.quantizedConv2d!(x, w, { strides: 2, padding: 'same' });
    const g = convGeometry({
      kind: 'conv2d',
      inputShape: x.shape,
      kernelHeight: 3,
      kernelWidth: 2,
      outChannels: 3,
      strides: 2,
      padding: 'same',
      hasBias: true,
      activation: 'relu',
    });
    expect(y.shape).toEqual([2, 3, 3, 3]);
    expect(y.quantization).toEqual({ ...output, scale: Math.fround(output.scale) });
    const read = await backend.readQuantized!(y);
    expect(read.data).toEqual(referenceQuantizedConv2d(x.data, w.filter, w.bias, g, w.requantization));
    expect(read.quantization).toEqual({ ...output, scale: Math.fround(output.scale) });
  });

  it('runs a separable convolution bit-identically to its two steps', async () => {
    const x = int8([1, 4, 4, 3], 2);
    const dw = weights({ kind: 'depthwiseConv2d', filterShape: [3, 3, 3, 2], output: middle, activation: 'relu6' });
    const pw = weights({ kind: 'pointwiseConv2d', filterShape: [6, 5], input: middle });
    const fused = backend.quantizedSeparableConv2d!(x, dw, pw, { padding: 'same' }) as HostQuantizedTensor;
    const steps = backend.quantizedPointwiseConv2d!(backend.quantizedDepthwiseConv2d!(x, dw, { padding: 'same' }), pw) as HostQuantizedTensor;
    expect(fused.data).toEqual(steps.data);
    expect(fused.shape).toEqual([1, 4, 4, 5]);
    const g = convGeometry({ kind: 'depthwiseConv2d', inputShape: x.shape, kernelHeight: 3, kernelWidth: 3, channelMultiplier: 2, padding: 'same' });
    const depthwise = referenceQuantizedDepthwiseConv2d(x.data, dw.filter, dw.bias, g, dw.requantization);
    const pg = convGeometry({ kind: 'pointwiseConv2d', inputShape: [1, 4, 4, 6], kernelHeight: 1, kernelWidth: 1, outChannels: 5 });
    expect(fused.data).toEqual(referenceQuantizedPointwiseConv2d(depthwise, pw.filter, pw.bias, pg, pw.requantization));
  });

  it('requantizes with TensorFlow Lite rounding (ties toward +∞ in the doubling high mul)', async () => {
    const x = new HostQuantizedTensor(Int8Array.from([3, -3, 127, -128]), [4], { scale: 0.5, zeroPoint: 0 });
    const y = (await backend.readQuantized!(backend.requantize!(x, { scale: 1, zeroPoint: 0 }))).data;
    expect([...y]).toEqual([2, -1, 64, -64]);
    const saturated = (await backend.readQuantized!(backend.requantize!(x, { scale: 0.25, zeroPoint: 100 }))).data;
    expect([...saturated]).toEqual([106, 94, 127, -128]);
  });

  it('quantizes and dequantizes with the host functions', async () => {
    const x = tensor([0, 0.05, -0.07, 100, -100, 0.025], [6]);
    const q = backend.quantize!(x, input) as HostQuantizedTensor;
    expect([...q.data]).toEqual([-3, -2, -4, 127, -128, -2]);
    const back = await backend.read(backend.dequantize!(q));
    expect([...back]).toEqual([0, 0.05, -0.05, 6.5, -6.25, 0.05].map((v) => Math.fround(v)));
    expect(() => backend.quantize!(tensor([NaN], [1]), input)).toThrow(/NaN at index 0/);
  });

  it('concatenates, pads, pools and reshapes without changing the quantization', async () => {
    const a = int8([1, 2, 2, 2], 3);
    const b = int8([1, 2, 2, 1], 4);
    const joined = backend.quantizedConcat!([a, b]) as HostQuantizedTensor;
    expect(joined.shape).toEqual([1, 2, 2, 3]);
    expect([...joined.data.subarray(0, 3)]).toEqual([a.data[0], a.data[1], b.data[0]]);
    const padded = backend.quantizedPad!(a, { top: 1, bottom: 0, left: 0, right: 0 }) as HostQuantizedTensor;
    expect([...padded.data.subarray(0, 4)]).toEqual([-3, -3, -3, -3]);
    const pooled = backend.quantizedPool2d!(a, { type: 'max', kernelSize: 2 }) as HostQuantizedTensor;
    expect([...pooled.data]).toEqual([Math.max(...[0, 2, 4, 6].map((i) => a.data[i]!)), Math.max(...[1, 3, 5, 7].map((i) => a.data[i]!))]);
    expect(pooled.quantization).toEqual({ ...input, scale: Math.fround(input.scale) });
    const flat = backend.quantizedReshape!(a, [8]) as HostQuantizedTensor;
    expect(flat.data).toEqual(a.data);
    expect(flat.data).not.toBe(a.data);
  });

  it('refuses an input whose quantization differs from what the integers were computed for', () => {
    const w = weights({ kind: 'pointwiseConv2d', filterShape: [2, 2] });
    expect(() => backend.quantizedPointwiseConv2d!(int8([1, 1, 1, 2], 0, middle), w)).toThrow(/x.quantization must equal weights.input/);
    expect(() => backend.quantizedConcat!([int8([1, 1, 1, 2], 0), int8([1, 1, 1, 2], 0, middle)])).toThrow(/xs\[1\].quantization must equal/);
    expect(() => backend.quantizedGlobalPool2d!(int8([1, 2, 2, 2], 0), { type: 'max', output })).toThrow(UnsupportedError);
    const dw = weights({ kind: 'depthwiseConv2d', filterShape: [1, 1, 2, 1], output: middle });
    expect(() => backend.quantizedSeparableConv2d!(int8([1, 1, 1, 2], 0), dw, weights({ kind: 'pointwiseConv2d', filterShape: [2, 2] }))).toThrow(
      /pointwiseWeights.input must equal depthwiseWeights.output/,
    );
  });

  it('refuses bad arguments with typed errors naming op and argument', () => {
    const w = weights({ kind: 'conv2d', filterShape: [1, 1, 2, 2] });
    const x = int8([1, 3, 3, 2], 0);
    const cases: [() => unknown, new (...args: never[]) => Error, RegExp][] = [
      [() => backend.quantizedConv2d!(zeros([1, 3, 3, 2]) as never, w), DTypeError, /quantizedConv2d: x must be int8 \(quantize it first\)/],
      [() => backend.quantizedConv2d!(x, { ...w } as never), ValueError, /weights must be a QuantizedConvWeights/],
      [() => backend.quantizedDepthwiseConv2d!(x, w), ValueError, /weights must be depthwiseConv2d weights, got conv2d/],
      [() => backend.quantizedConv2d!(int8([1, 3, 3, 3], 0), w), ShapeError, /weights expects inChannels=2/],
      [() => backend.quantizedConv2d!(int8([3, 3, 2], 0), w), ShapeError, /x must be rank 4/],
      [() => backend.quantizedConv2d!(x, w, { strides: 0 }), ValueError, /options.strides/],
      [
        () => backend.quantizedAdd!(x, int8([1, 3, 3, 5], 0), { output }),
        ShapeError,
        /quantizedAdd: a \[1, 3, 3, 2\] and b \[1, 3, 3, 5\] do not broadcast/,
      ],
      [() => backend.quantizedAdd!(x, x, undefined as never), ValueError, /quantizedAdd: options must be an object/],
      [
        () => backend.quantizedAdd!(x, x, { output: { scale: 1e-9, zeroPoint: 0 } }),
        ValueError,
        /quantizedAdd: output gives a requantization multiplier/,
      ],
      [() => backend.requantize!(x, { scale: 1e-12, zeroPoint: 0 }), ValueError, /requantize: output.scale must be more than/],
      [() => backend.quantizedPool2d!(x, { type: 'avg' } as never), ValueError, /quantizedPool2d: options.kernelSize is required/],
      [() => backend.quantizedReshape!(x, [5]), ShapeError, /quantizedReshape: shape \[5\] holds 5 elements/],
      [() => backend.quantizedConcat!([]), ValueError, /quantizedConcat: xs must be a non-empty array/],
      [() => backend.dequantize!(zeros([1]) as never), DTypeError, /dequantize: x must be int8/],
      [() => backend.quantize!(x as never, input), DTypeError, /quantize: x must be float32/],
      [() => backend.quantize!(zeros([1]), { scale: 0, zeroPoint: 0 }), ValueError, /quantize: output.scale/],
    ];
    for (const [call, type, message] of cases) {
      expect(call).toThrow(type);
      expect(call).toThrow(message);
    }
    const disposed = int8([1], 0);
    disposed.dispose();
    expect(() => backend.requantize!(disposed, output)).toThrow(/requantize: x has been disposed/);
  });
});

describe('defineBackend int8 wiring', () => {
  const floatKernels = {
    conv2d: () => zeros([1]),
    depthwiseConv2d: () => zeros([1]),
    pointwiseConv2d: () => zeros([1]),
    separableConv2d: () => zeros([1]),
  } satisfies KernelTable<void, Tensor, HostTensor>;

  it('exposes an int8 capability only when declared, and reads host int8 tensors on any backend', async () => {
    const plain = defineBackend({ name: 'plain', context: undefined, kernels: floatKernels, read: async () => new Float32Array() });
    expect('quantizedConv2d' in plain || 'quantize' in plain).toBe(false);
    const host = int8([2], 0);
    const read = await plain.readQuantized(host);
    expect(read.data).toEqual(host.data);
    expect(read.data).not.toBe(host.data);
    const device = { ...host, location: 'elsewhere', dtype: 'int8' as const, dispose() {}, isDisposed: false } as QuantizedTensor;
    await expect(plain.readQuantized(device)).rejects.toThrow(UnsupportedError);
  });

  it('wraps a declared kernel: validated inputs in, its int8 tensor tracked by scopes', async () => {
    let disposed = 0;
    const kernels = {
      ...floatKernels,
      requantize: (_ctx, { x, output: params, requantization }) => {
        expect(requantization.multiplier).toBeGreaterThan(0);
        const result = new HostQuantizedTensor(new Int8Array(x.size), x.shape, params);
        const dispose = result.dispose.bind(result);
        result.dispose = () => (disposed++, dispose());
        return result;
      },
    } satisfies KernelTable<void, Tensor, HostTensor>;
    const backend = defineBackend({
      name: 'int8',
      context: undefined,
      kernels,
      read: async () => new Float32Array(),
      readQuantized: async () => new Int8Array(2),
    });
    const kept = backend.scope(() => (backend.requantize(int8([2], 0), output), backend.requantize(int8([2], 0), output)));
    expect(disposed, 'the one not returned').toBe(1);
    expect(kept.isDisposed).toBe(false);
    expect(() => backend.requantize(int8([2], 0), { scale: 1, zeroPoint: 200 })).toThrow(/requantize: output.zeroPoint/);
  });
});
