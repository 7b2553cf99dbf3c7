import {
  DTypeError,
  HostQuantizedTensor,
  QuantizedConvWeights,
  ShapeError,
  ValueError,
  zeros,
  type Backend,
  type QuantizedTensor,
} from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { expectTypedRejection } from './backend-test-helpers.js';
import { capabilityOf, describeCapability } from './describe-capability.js';
import { expectInt8MatchesReference, int8Reference, readInt8AndDispose } from './expect-int8.js';
import { int8CaseGeometry, int8ConvCases, int8ConvInputs, type Int8ConvCase, type Int8ConvInputs } from './int8-conv-cases.js';

type ConvCapability = 'quantizedConv2d' | 'quantizedDepthwiseConv2d' | 'quantizedPointwiseConv2d' | 'quantizedSeparableConv2d';

const CAPABILITY_OF: Record<Int8ConvCase['op'], ConvCapability> = {
  conv2d: 'quantizedConv2d',
  depthwiseConv2d: 'quantizedDepthwiseConv2d',
  pointwiseConv2d: 'quantizedPointwiseConv2d',
  separableConv2d: 'quantizedSeparableConv2d',
};

/** Runs an int8 case on a backend. */
export function runInt8ConvCase(backend: Backend, c: Int8ConvCase, inputs: Int8ConvInputs): QuantizedTensor {
  const window = { strides: c.strides, dilations: c.dilations, padding: c.padding };
  if (c.op === 'separableConv2d')
    return capabilityOf(backend, 'quantizedSeparableConv2d')(inputs.x, inputs.weights, inputs.pointwiseWeights!, window);
  // The three single-step ops share one signature.
  const single = CAPABILITY_OF[c.op] as 'quantizedConv2d';
  return capabilityOf(backend, single)(inputs.x, inputs.weights, window);
}

function caseTests(getBackend: () => Backend, op: Int8ConvCase['op']): void {
  for (const c of int8ConvCases.filter((k) => k.op === op)) {
    it(c.name, async () => {
      const inputs = int8ConvInputs(c);
      await expectInt8MatchesReference(
        getBackend(),
        {
          run: (b) => runInt8ConvCase(b, c, inputs),
          inputs: [inputs.x, { data: inputs.weights.filter }, { data: inputs.pointwiseWeights?.filter ?? [] }],
        },
        c.name,
      );
    });
  }
}

/** A 1×1 convolution worked by hand: `M = 0.5` exactly, so ±62.5 shows the tie rule (toward +∞ in the doubling high multiply). */
function handWorkedTests(getBackend: () => Backend): void {
  it('quantizedPointwiseConv2d: a case worked by hand (ties of the fixed-point multiply go toward +∞)', async () => {
    const pointwise = capabilityOf(getBackend(), 'quantizedPointwiseConv2d');
    const io = { scale: 0.5, zeroPoint: 0 };
    const weights = new QuantizedConvWeights({
      kind: 'pointwiseConv2d',
      filter: Int8Array.from([1, 3]),
      filterShape: [1, 2],
      bias: Int32Array.from([0, 100]),
      weightScales: [1, 1],
      input: io,
      output: { scale: 1, zeroPoint: 1 },
    });
    const x = new HostQuantizedTensor(Int8Array.from([125, -125, 8, -22]), [1, 2, 2, 1], io);
    // Channel 0: x·1·0.5 + 1 → 62.5 → 63 + 1, −62.5 → −62 + 1, 4 + 1, −11 + 1. Channel 1: (3x + 100)·0.5 + 1, saturated.
    const y = await readInt8AndDispose(getBackend(), pointwise(x, weights));
    expect(Array.from(y.data)).toEqual([64, 127, -61, -128, 5, 63, -10, 18]);
  });
}

function badInputTests(getBackend: () => Backend): void {
  const io = { scale: 0.1, zeroPoint: 3 };
  const weights = (kind: 'conv2d' | 'depthwiseConv2d' | 'pointwiseConv2d', filterShape: number[], output = io) =>
    new QuantizedConvWeights({
      kind,
      filter: new Int8Array(filterShape.reduce((a, b) => a * b, 1)),
      filterShape,
      weightScales: new Array(filterShape.at(-1)! * (kind === 'depthwiseConv2d' ? filterShape[2]! : 1)).fill(0.01),
      input: io,
      output,
    });
  const x = new HostQuantizedTensor(new Int8Array(18), [1, 3, 3, 2], io);
  describe('bad input is rejected with a typed error naming op and argument', () => {
    it('quantizedConv2d: a float x', () =>
      expectTypedRejection(
        () => capabilityOf(getBackend(), 'quantizedConv2d')(zeros([1, 3, 3, 2]) as never, weights('conv2d', [1, 1, 2, 2])),
        DTypeError,
        'quantizedConv2d',
        'x',
      ));
    it('quantizedConv2d: weights of another kind', () =>
      expectTypedRejection(
        () => capabilityOf(getBackend(), 'quantizedConv2d')(x, weights('depthwiseConv2d', [3, 3, 2, 1])),
        ValueError,
        'quantizedConv2d',
        'weights',
      ));
    it('quantizedDepthwiseConv2d: weights for other input channels', () =>
      expectTypedRejection(
        () => capabilityOf(getBackend(), 'quantizedDepthwiseConv2d')(x, weights('depthwiseConv2d', [3, 3, 3, 1])),
        ShapeError,
        'quantizedDepthwiseConv2d',
        'weights',
      ));
    it('quantizedPointwiseConv2d: x quantized otherwise than the weights expect', () =>
      expectTypedRejection(
        () =>
          capabilityOf(getBackend(), 'quantizedPointwiseConv2d')(
            new HostQuantizedTensor(new Int8Array(18), [1, 3, 3, 2], { scale: 0.1, zeroPoint: 4 }),
            weights('pointwiseConv2d', [2, 2]),
          ),
        ValueError,
        'quantizedPointwiseConv2d',
        'x',
      ));
    it('quantizedConv2d: a window larger than the padded input', () =>
      expectTypedRejection(
        () => capabilityOf(getBackend(), 'quantizedConv2d')(x, weights('conv2d', [5, 5, 2, 2])),
        ShapeError,
        'quantizedConv2d',
        'weights',
      ));
    it('quantizedDepthwiseConv2d: a zero stride', () =>
      expectTypedRejection(
        () => capabilityOf(getBackend(), 'quantizedDepthwiseConv2d')(x, weights('depthwiseConv2d', [3, 3, 2, 1]), { strides: 0 }),
        ValueError,
        'quantizedDepthwiseConv2d',
        'options.strides',
      ));
    it('quantizedSeparableConv2d: pointwise weights expecting another intermediate quantization', () =>
      expectTypedRejection(
        () =>
          capabilityOf(getBackend(), 'quantizedSeparableConv2d')(
            x,
            weights('depthwiseConv2d', [3, 3, 2, 1], { scale: 0.2, zeroPoint: 0 }),
            weights('pointwiseConv2d', [2, 4]),
          ),
        ValueError,
        'quantizedSeparableConv2d',
        'pointwiseWeights',
      ));
    it('quantizedConv2d: a disposed x', () => {
      const disposed = new HostQuantizedTensor(new Int8Array(18), [1, 3, 3, 2], io);
      disposed.dispose();
      expectTypedRejection(
        () => capabilityOf(getBackend(), 'quantizedConv2d')(disposed, weights('conv2d', [1, 1, 2, 2])),
        ValueError,
        'quantizedConv2d',
        'x',
      );
    });
  });
}

/** The fixed cases exercise what they claim: saturation, clamps and spread outputs happen in the reference's results. */
function caseCoverageTest(): void {
  it('int8 cases: the reference outputs saturate, clamp and spread as the cases intend', async () => {
    const reference = int8Reference();
    let saturated = 0;
    let clamped = 0;
    let spread = 0;
    for (const c of int8ConvCases.filter((k) => k.op !== 'separableConv2d' && !k.multipliers)) {
      const inputs = int8ConvInputs(c);
      const { data } = await readInt8AndDispose(reference, runInt8ConvCase(reference, c, inputs));
      const { activationMin, activationMax } = inputs.weights.requantization;
      const atBounds = data.filter((v) => v === activationMin || v === activationMax).length;
      if ((c.multiplierScale ?? 1) > 1 && atBounds > data.length / 4) saturated++;
      if (c.activation !== 'linear' && activationMin > -128 && data.includes(activationMin)) clamped++;
      if ((c.multiplierScale ?? 1) === 1 && new Set(data).size >= Math.min(16, data.length / 4)) spread++;
    }
    expect(saturated, 'saturating cases').toBeGreaterThanOrEqual(10);
    expect(clamped, 'cases whose relu/relu6 clamp bites').toBeGreaterThanOrEqual(20);
    expect(spread, 'cases whose outputs spread over many int8 values').toBeGreaterThanOrEqual(60);
  });
}

/**
 * The conformance tests of the int8 convolutions (`quantizedConv2d`, `quantizedDepthwiseConv2d`,
 * `quantizedPointwiseConv2d`, `quantizedSeparableConv2d`): the float suite's shape classes plus
 * channels around 16, zero points at both ends, saturation, multipliers near 0 and 1 and each
 * clamp, bit-exact with the reference; each capability probed on its own.
 */
export function describeInt8ConvConformance(createBackend: () => Backend | Promise<Backend>, getBackend: () => Backend): void {
  for (const op of ['conv2d', 'depthwiseConv2d', 'pointwiseConv2d', 'separableConv2d'] as const) {
    describeCapability(CAPABILITY_OF[op], createBackend, () => caseTests(getBackend, op));
  }
  describeCapability('quantizedPointwiseConv2d', createBackend, () => handWorkedTests(getBackend), 'quantizedPointwiseConv2d by hand');
  describeCapability('quantizedConv2d', createBackend, () => badInputTests(getBackend), 'int8 convolutions: bad input');
  caseCoverageTest();
}

/**
 * An int8 kernel variant as the suite forces it: the float op whose geometry it runs
 * (`depthwiseConv2d` for `quantizedDepthwiseConv2d`, …) and the geometries it `supports()`.
 */
export interface Int8KernelVariant {
  readonly name: string;
  readonly op: Int8ConvCase['op'];
  supports(geometry: never): boolean;
}

/** The int8 cases a variant runs: its op's, with a geometry it supports. */
export function int8CasesFor(variant: Int8KernelVariant): Int8ConvCase[] {
  return int8ConvCases.filter((c) => {
    if (c.op !== variant.op) return false;
    const supports = variant.supports as (geometry: unknown) => boolean;
    return supports.call(variant, int8CaseGeometry(c, int8ConvInputs(c)));
  });
}

/**
 * Every int8 case of each forced variant's op that its `supports()` accepts, on a backend made
 * with the variant forced (`getBackend`), bit-exact with the reference; a variant no case
 * exercises fails.
 */
export function describeInt8VariantConformance(variant: Int8KernelVariant, getBackend: () => Backend): void {
  const cases = int8CasesFor(variant);
  it(`is exercised by at least one int8 case (${cases.length} cases)`, () => {
    expect(cases.length, `no int8 case has a geometry ${variant.name} supports`).toBeGreaterThan(0);
  });
  for (const c of cases) {
    it(c.name, async () => {
      const inputs = int8ConvInputs(c);
      await expectInt8MatchesReference(
        getBackend(),
        {
          run: (b) => runInt8ConvCase(b, c, inputs),
          inputs: [inputs.x, { data: inputs.weights.filter }, { data: inputs.pointwiseWeights?.filter ?? [] }],
        },
        c.name,
      );
    });
  }
}
