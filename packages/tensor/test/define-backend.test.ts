import { describe, expect, it } from 'vitest';
import {
  BackendError,
  defineBackend,
  HostTensor,
  ShapeError,
  tensor,
  UnsupportedError,
  ValueError,
  zeros,
  type KernelTable,
  type LoweringPreferences,
  type Tensor,
} from '../src/index.js';

/** A kernel table that records which kernel ran with which geometry and returns zeros of the output shape. */
function recordingKernels(calls: string[]) {
  return {
    conv2d: (_ctx, { geometry }) => (
      calls.push(`conv2d ${geometry.outHeight}`),
      zeros([geometry.batch, geometry.outHeight, geometry.outWidth, geometry.outChannels])
    ),
    depthwiseConv2d: (_ctx, { geometry }) => (
      calls.push('depthwiseConv2d'),
      zeros([geometry.batch, geometry.outHeight, geometry.outWidth, geometry.outChannels])
    ),
    pointwiseConv2d: (_ctx, { geometry }) => (
      calls.push('pointwiseConv2d'),
      zeros([geometry.batch, geometry.outHeight, geometry.outWidth, geometry.outChannels])
    ),
    separableConv2d: () => (calls.push('separableConv2d'), zeros([1])),
  } satisfies KernelTable<number, Tensor, HostTensor>;
}

describe('defineBackend', () => {
  it('validates and computes the geometry before the kernel, which receives the context', () => {
    const calls: string[] = [];
    const seen: number[] = [];
    const kernels = { ...recordingKernels(calls), conv2d: (ctx: number) => (seen.push(ctx), zeros([1])) } satisfies KernelTable<
      number,
      Tensor,
      HostTensor
    >;
    const backend = defineBackend({ name: 'test', context: 42, kernels, read: async () => new Float32Array() });
    backend.conv2d(zeros([1, 5, 5, 2]), zeros([3, 3, 2, 4]));
    expect(seen).toEqual([42]);
    expect(() => backend.depthwiseConv2d(zeros([1, 5, 5, 2]), zeros([3, 3, 3, 1]))).toThrow(ShapeError);
    expect(() => backend.pointwiseConv2d(zeros([1, 5, 5, 2]), zeros([2, 4]), { strides: 0 })).toThrow(ValueError);
    expect(calls, 'no kernel runs on bad input').toEqual([]);
  });

  it('passes options.residual to the ops listed in residualOps, and refuses it elsewhere with an UnsupportedError naming it', () => {
    const seen: (Tensor | undefined)[] = [];
    const kernels = {
      ...recordingKernels([]),
      pointwiseConv2d: (_ctx: number, { residual, geometry }) => (
        seen.push(residual),
        zeros([geometry.batch, geometry.outHeight, geometry.outWidth, geometry.outChannels])
      ),
    } satisfies KernelTable<number, Tensor, HostTensor>;
    const residual = zeros([2, 3, 3, 4]);
    const fusing = defineBackend({ name: 'fusing', context: 0, kernels, residualOps: ['pointwiseConv2d'], read: async () => new Float32Array() });
    expect(fusing.residualOps).toEqual(['pointwiseConv2d']);
    fusing.pointwiseConv2d(zeros([2, 3, 3, 2]), zeros([2, 4]), { residual });
    expect(seen).toEqual([residual]);
    expect(() => fusing.conv2d(zeros([2, 3, 3, 2]), zeros([1, 1, 2, 4]), { residual })).toThrow(
      /conv2d: options\.residual cannot be honoured: this fusing backend does not add a residual in conv2d/,
    );
    const plain = defineBackend({ name: 'plain', context: 0, kernels, read: async () => new Float32Array() });
    expect(plain.residualOps).toEqual([]);
    expect(() => plain.pointwiseConv2d(zeros([2, 3, 3, 2]), zeros([2, 4]), { residual })).toThrow(UnsupportedError);
    expect(seen, 'the refused call reached no kernel').toHaveLength(1);
  });

  it('checks options.residual against the output shape, naming the op and the argument', () => {
    const kernels = recordingKernels([]);
    const backend = defineBackend({
      name: 'test',
      context: 0,
      kernels,
      residualOps: ['conv2d', 'depthwiseConv2d', 'pointwiseConv2d', 'separableConv2d'],
      read: async () => new Float32Array(),
    });
    const x = zeros([1, 5, 5, 2]);
    expect(() => backend.conv2d(x, zeros([3, 3, 2, 4]), { residual: zeros([1, 5, 5, 4]) })).toThrow(
      /conv2d: options\.residual must have the output's shape \[1, 3, 3, 4\], got \[1, 5, 5, 4\]/,
    );
    expect(() => backend.depthwiseConv2d(x, zeros([3, 3, 2, 2]), { padding: 'same', residual: zeros([1, 5, 5, 2]) })).toThrow(ShapeError);
    expect(() => backend.pointwiseConv2d(x, zeros([2, 4]), { residual: zeros([5, 5, 4]) })).toThrow(/pointwiseConv2d: options\.residual/);
    expect(() => backend.separableConv2d(x, zeros([3, 3, 2, 1]), zeros([2, 4]), { residual: zeros([1, 5, 5, 4]) })).toThrow(
      /separableConv2d: options\.residual must have the output's shape \[1, 3, 3, 4\]/,
    );
    expect(() => backend.pointwiseConv2d(x, zeros([2, 4]), { residual: [1, 2] as unknown as Tensor })).toThrow(
      /pointwiseConv2d: options\.residual must be a Tensor/,
    );
    const disposed = zeros([1, 5, 5, 4]);
    disposed.dispose();
    expect(() => backend.pointwiseConv2d(x, zeros([2, 4]), { residual: disposed })).toThrow(/options\.residual has been disposed/);
  });

  it('exposes an optional capability exactly when the kernel table declares it', async () => {
    const plain = defineBackend({ name: 'plain', context: 0, kernels: recordingKernels([]), read: async () => new Float32Array() });
    expect('add' in plain || 'softmax' in plain || 'reshape' in plain || 'upload' in plain).toBe(false);
    const kernels = {
      ...recordingKernels([]),
      add: (_ctx, { geometry }) => zeros(geometry.shape),
      upload: (_ctx, { x }) => zeros(x.shape),
    } satisfies KernelTable<number, Tensor, HostTensor>;
    const backend = defineBackend({ name: 'capable', context: 0, kernels, read: async () => new Float32Array() });
    expect(backend.add(tensor([1, 2], [2]), tensor([3, 4], [2])).shape).toEqual([2]);
    expect(() => backend.add(tensor([1, 2], [2]), tensor([3, 4, 5], [3]))).toThrow(ShapeError);
    expect(backend.upload(tensor([1, 2, 3], [3])).shape).toEqual([3]);
    expect(() => backend.upload(null as unknown as Tensor)).toThrow(ValueError);
    expect('softmax' in backend).toBe(false);
    for (const capability of ['sub', 'mul', 'div', 'activation', 'concat', 'pad', 'pool2d', 'globalPool2d', 'resizeBilinear']) {
      expect(capability in plain || capability in backend, capability).toBe(false);
    }
  });

  it('validates the graph operations before their kernels run', () => {
    const kernels = {
      ...recordingKernels([]),
      mul: (_ctx, { geometry }) => zeros(geometry.shape),
      pool2d: (_ctx, { geometry }) => zeros(geometry.shape),
    } satisfies KernelTable<number, Tensor, HostTensor>;
    const backend = defineBackend({ name: 'graph', context: 0, kernels, read: async () => new Float32Array() });
    expect(backend.mul(zeros([1, 2, 2, 3]), zeros([1, 1, 1, 3])).shape).toEqual([1, 2, 2, 3]);
    expect(() => backend.mul(zeros([2]), zeros([3]))).toThrow(/^mul: a \[2\] and b \[3\] do not broadcast/);
    expect(backend.pool2d(zeros([1, 4, 4, 1]), { type: 'max', kernelSize: 2 }).shape).toEqual([1, 2, 2, 1]);
    expect(() => backend.pool2d(zeros([1, 4, 4, 1]), { type: 'max', kernelSize: 5 })).toThrow(ShapeError);
  });

  it('refuses every op after dispose() with a BackendError naming the op, and disposes once', () => {
    let disposals = 0;
    const kernels = { ...recordingKernels([]), softmax: (_ctx, { geometry }) => zeros(geometry.shape) } satisfies KernelTable<
      number,
      Tensor,
      HostTensor
    >;
    const backend = defineBackend({
      name: 'gone',
      label: 'Gone',
      context: 0,
      kernels,
      read: async () => new Float32Array(),
      dispose: () => disposals++,
    });
    backend.dispose();
    backend.dispose();
    expect(disposals).toBe(1);
    expect(() => backend.conv2d(zeros([1, 3, 3, 1]), zeros([1, 1, 1, 1]))).toThrow(/^conv2d: this Gone backend has been disposed/);
    expect(() => backend.softmax(zeros([2]))).toThrow(BackendError);
    // Bad input is still reported as bad input, whatever the backend's state.
    expect(() => backend.softmax(zeros([]))).toThrow(ShapeError);
  });

  it('copies extras with their descriptors, so getters stay live', () => {
    let bytes = 1;
    const backend = defineBackend({
      name: 'extras',
      context: 0,
      kernels: recordingKernels([]),
      read: async () => new Float32Array(),
      extras: {
        get allocatedBytes(): number {
          return bytes;
        },
      },
    });
    bytes = 7;
    expect(backend.allocatedBytes).toBe(7);
  });

  it('exposes loweringPreferences frozen, as given, and none when not given', () => {
    const read = async () => new Float32Array();
    const kernels = { ...recordingKernels([]), globalPool2d: () => zeros([1, 1, 1, 1]) } satisfies KernelTable<number, Tensor, HostTensor>;
    const given: { globalAveragePool: LoweringPreferences['globalAveragePool'] } = { globalAveragePool: 'globalPool2d' };
    const backend = defineBackend({ name: 'pooling', context: 0, kernels, read, loweringPreferences: given });
    given.globalAveragePool = 'depthwiseConv2d';
    expect(backend.loweringPreferences).toEqual({ globalAveragePool: 'globalPool2d' });
    expect(Object.isFrozen(backend.loweringPreferences)).toBe(true);
    expect(defineBackend({ name: 'plain', context: 0, kernels, read }).loweringPreferences).toBeUndefined();
  });

  it('refuses loweringPreferences that name an unknown lowering or a capability the kernel table lacks', () => {
    const read = async () => new Float32Array();
    const unknown = { globalAveragePool: 'reduceMean' } as unknown as LoweringPreferences;
    expect(() => defineBackend({ name: 'x', context: 0, kernels: recordingKernels([]), read, loweringPreferences: unknown })).toThrow(
      /^defineBackend: loweringPreferences.globalAveragePool must be one of depthwiseConv2d, globalPool2d, got 'reduceMean'/,
    );
    const withoutPool = () =>
      defineBackend({ name: 'x', context: 0, kernels: recordingKernels([]), read, loweringPreferences: { globalAveragePool: 'globalPool2d' } });
    expect(withoutPool).toThrow(UnsupportedError);
    expect(withoutPool).toThrow(/^defineBackend: loweringPreferences.globalAveragePool 'globalPool2d' needs the globalPool2d capability/);
  });

  it('rejects, at compile time, an optional capability declared with the wrong signature', () => {
    const kernels = {
      ...recordingKernels([]),
      // @ts-expect-error softmax takes (ctx, { x, geometry }) and returns the backend's tensor
      softmax: (_ctx: number, _x: number) => 0,
    } satisfies KernelTable<number, Tensor, HostTensor>;
    expect(typeof kernels.softmax).toBe('function');
  });
});
