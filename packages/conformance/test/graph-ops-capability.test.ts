// The graph operations' suites: a backend without a capability gets one skipped test per
// capability with the reason in its title; the cases cover the shape classes that break
// kernels; and the comparison really fails a kernel that is subtly wrong.
import { tensor, type Backend } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import {
  activationCases,
  binaryCases,
  describeActivationConformance,
  describeBinaryConformance,
  describeConcatConformance,
  describePadConformance,
  describePoolConformance,
  describeResizeBilinearConformance,
  ELEMENTWISE_TOLERANCE,
  expectMatchesReference,
  notDeclaredTitle,
  pool2dCases,
  resizeBilinearCases,
} from '../src/index.js';

const GRAPH_CAPABILITIES = ['add', 'sub', 'mul', 'div', 'activation', 'concat', 'pad', 'pool2d', 'globalPool2d', 'resizeBilinear'] as const;

function withoutGraphOps(): Backend {
  const {
    add: _add,
    sub: _sub,
    mul: _mul,
    div: _div,
    activation: _activation,
    concat: _concat,
    pad: _pad,
    pool2d: _pool2d,
    globalPool2d: _global,
    resizeBilinear: _resize,
    ...rest
  } = createReferenceBackend();
  return { ...rest, name: 'reference-without-graph-ops' };
}

describe('a backend without the graph operations', () => {
  it('really lacks the capabilities the suites probe for', () => {
    const backend = withoutGraphOps();
    for (const capability of GRAPH_CAPABILITIES) expect(backend[capability], capability).toBeUndefined();
    expect(notDeclaredTitle('pool2d')).toBe('pool2d: not run, backend does not declare the optional pool2d capability');
  });
  // Each reports one skipped test whose title is notDeclaredTitle(capability).
  describeBinaryConformance(withoutGraphOps, withoutGraphOps);
  describeActivationConformance(withoutGraphOps, withoutGraphOps);
  describeConcatConformance(withoutGraphOps, withoutGraphOps);
  describePadConformance(withoutGraphOps, withoutGraphOps);
  describePoolConformance(withoutGraphOps, withoutGraphOps);
  describeResizeBilinearConformance(withoutGraphOps, withoutGraphOps);
});

describe('the graph operations cases', () => {
  it('binary cases give every op every broadcasting form, channels around a 4-wide vector, and the new activations', () => {
    for (const op of ['add', 'sub', 'mul', 'div']) {
      const cases = binaryCases.filter((c) => c.op === op);
      expect(
        cases.some((c) => c.bShape.length === 0),
        `${op} scalar []`,
      ).toBe(true);
      expect(
        cases.some((c) => c.aShape.length === 4 && c.aShape[1] === 1 && c.aShape[0] === 2),
        `${op} SE [N, 1, 1, C] with N = 2 first`,
      ).toBe(true);
    }
    const channels = new Set(
      binaryCases
        .flatMap((c) => [c.aShape, c.bShape])
        .filter((s) => s.length === 4)
        .map((s) => s[3]),
    );
    for (const c of [1, 3, 4, 5, 8, 17, 64]) expect(channels.has(c), `channels ${c}`).toBe(true);
    expect(new Set(binaryCases.map((c) => c.activation))).toEqual(new Set([undefined, 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'hardSwish']));
    expect(new Set(activationCases.map((c) => c.activation)).size).toBe(6);
  });

  it('pooling cases reach strides 2 and 3, asymmetric padding, odd sizes and 1×1 spatial; resize every mode', () => {
    expect(pool2dCases.some((c) => c.strides === 3)).toBe(true);
    expect(pool2dCases.some((c) => typeof c.padding === 'object' && c.padding.top !== c.padding.bottom)).toBe(true);
    expect(pool2dCases.some((c) => c.shape[1] === 1 && c.shape[2] === 1)).toBe(true);
    expect(new Set(resizeBilinearCases.map((c) => JSON.stringify(c.options ?? {}))).size).toBe(3);
  });
});

describe('the comparison catches subtly wrong kernels', () => {
  const reference = createReferenceBackend();
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
  const options = { type: 'avg', kernelSize: 3, strides: 1, padding: 'same' } as const;

  it('an average pool whose divisor counts padded cells (ONNX count_include_pad=1) fails', async () => {
    // The corner window holds 4 real cells of 9: dividing its sum by 9 instead (here only there) is the classic mistake.
    const includePad: Backend = {
      ...reference,
      pool2d: (input, o) => reference.mul!(reference.pool2d!(input, o), tensor([4 / 9, 1, 1, 1, 1, 1, 1, 1, 1], [1, 3, 3, 1])),
    };
    await expect(
      expectMatchesReference(includePad, { run: (b) => b.pool2d!(x, options), inputs: [x], tolerance: ELEMENTWISE_TOLERANCE }, 'pad'),
    ).rejects.toThrow(/outputs differ from the reference/);
  });

  it('a value off by 1e-4 relative fails the element-wise tolerance', async () => {
    const off: Backend = { ...reference, pool2d: (input, o) => reference.mul!(reference.pool2d!(input, o), tensor([1.0001], [])) };
    await expect(
      expectMatchesReference(off, { run: (b) => b.pool2d!(x, options), inputs: [x], tolerance: ELEMENTWISE_TOLERANCE }, 'off'),
    ).rejects.toThrow(/outputs differ from the reference/);
  });

  it('a broadcast over the wrong axis fails', async () => {
    const a = tensor([1, 2, 3, 4], [2, 1, 1, 2]);
    const b = tensor(
      new Array(2 * 2 * 2).fill(1).map((v, i) => v + i),
      [2, 2, 1, 2],
    );
    // Uses image 0's scale for both images.
    const firstImageOnly: Backend = { ...reference, mul: (_p, q) => reference.mul!(tensor([1, 2], [1, 1, 1, 2]), q) };
    await expect(
      expectMatchesReference(firstImageOnly, { run: (backend) => backend.mul!(a, b), inputs: [a, b], tolerance: ELEMENTWISE_TOLERANCE }, 'se'),
    ).rejects.toThrow(/outputs differ from the reference/);
  });

  it('a kernel that writes into its input fails', async () => {
    const a = tensor([1, 2, 3], [3]);
    const scribbler: Backend = {
      ...reference,
      activation: (t, activation) => {
        const y = reference.activation!(t, activation);
        if ('data' in t && t.data instanceof Float32Array) t.data[0] = 42;
        return y;
      },
    };
    await expect(
      expectMatchesReference(scribbler, { run: (backend) => backend.activation!(a, 'relu'), inputs: [a], tolerance: 0 }, 'scribble'),
    ).rejects.toThrow(/the inputs must not be modified/);
  });
});
