// The relaxed-dot int8 GEMM (`pwconv2d-nhwc-gemm4x8c4-qs8-wasmrelaxeddot`) runs only where the
// exactness probe passes. This file runs in Node (where Node 20's V8 fails the probe: the test
// checks that the variant is then refused and never dispatched) and, through the `chromium`
// project of vitest.config.ts, in Chromium, whose V8 passes it: there the forced variant must
// match the reference bit for bit.
import {
  convGeometry,
  INT8_WEIGHT_MAX,
  QuantizedConvWeights,
  Random,
  UnsupportedError,
  type ConvActivation,
  type QuantParams,
} from '@sepconv/tensor';
import { referenceQuantizedPointwiseConv2d } from '@sepconv/tensor/reference';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuQuantizedVariants, createCpuBackend, isaSupport, variantSupport, type CpuBackend } from '../src/index.js';
import { relaxedDotProbe, relaxedDotSupport } from '../src/relaxed-dot-probe.js';
import { dispatchableOn } from '../src/variant-support.js';
import { randomInt8s, randomInt8Tensor } from './support/int8-test-data.js';

const row = cpuQuantizedVariants.find((v) => v.name === 'pwconv2d-nhwc-gemm4x8c4-qs8-wasmrelaxeddot')!;
const relaxed = isaSupport().get('wasmrelaxedsimd') === undefined;
const probe = relaxedDotSupport();
const node20 = typeof process !== 'undefined' && process.versions?.node?.startsWith('20.') === true;

describe('relaxed-dot exactness probe', () => {
  it('expects the exact sums of its operands', () => {
    // Lane 0: 1000 − 4·128·127; lane 1: −7 + 4·127·127; lane 2: 123456 − 128 + 254 − 127; lane 3: −100000 + 320 − 18 − 800.
    expect(relaxedDotProbe.expected).toEqual([1000 - 4 * 128 * 127, -7 + 4 * 127 * 127, 123456 - 1, -100000 - 498]);
    expect(WebAssembly.validate(relaxedDotProbe.module()) || !relaxed).toBe(true);
  });

  it.runIf(node20 && relaxed)('fails on Node 20, whose V8 doubles the products and drops the addend', () => {
    expect(probe).toMatch(/inexactly/);
  });

  it.runIf(probe !== undefined)('keeps the variant out where it fails: refused when forced, never dispatched', async () => {
    expect(variantSupport(row)).toBe(probe);
    await expect(createCpuBackend({ threads: 1, variant: row.name })).rejects.toThrow(UnsupportedError);
    await expect(createCpuBackend({ threads: 1, variant: row.name })).rejects.toThrow(probe!);
    // What dispatch on the relaxed ISA may pick (CpuContext.selectQuantized filters by it).
    expect(cpuQuantizedVariants.filter((v) => dispatchableOn(v, 'wasmrelaxedsimd'))).not.toContain(row);
    expect(cpuQuantizedVariants.filter((v) => dispatchableOn(v, 'wasmrelaxedsimd')).length).toBeGreaterThan(0);
  });
});

interface Case {
  name: string;
  inChannels: number;
  outChannels: number;
  inputZeroPoint?: number;
  outputZeroPoint?: number;
  activation?: ConvActivation;
  /** Inputs and weights only at the ends of their ranges, to push the accumulators far. */
  extremes?: boolean;
}

/** Pointwise cases: input channels below, at and past the 4-channel step and the 8-channel panel, zero points at the extremes, saturating accumulators. */
const cases: Case[] = [
  ...[1, 3, 4, 5, 8, 17, 33, 64].map((inChannels): Case => ({
    name: `${inChannels} → ${inChannels + 3} channels`,
    inChannels,
    outChannels: inChannels + 3,
  })),
  { name: 'zero points −128 → 127, relu6', inChannels: 20, outChannels: 12, inputZeroPoint: -128, outputZeroPoint: 127, activation: 'relu6' },
  { name: 'zero points 127 → −128, relu', inChannels: 20, outChannels: 12, inputZeroPoint: 127, outputZeroPoint: -128, activation: 'relu' },
  { name: '1024 channels of extremes', inChannels: 1024, outChannels: 9, extremes: true },
];

const backends: CpuBackend[] = [];
afterAll(() => {
  for (const backend of backends) backend.dispose();
});

const threadCounts = typeof crossOriginIsolated === 'boolean' && !crossOriginIsolated ? [1] : [1, 2];

describe.runIf(variantSupport(row) === undefined).each(threadCounts)(
  `${row.name} forced, %i thread(s), where this engine passes the relaxed-dot probe`,
  (threads) => {
    it.each(cases)('$name: identical to the reference', async (c) => {
      const backend = await createCpuBackend({ threads, variant: row.name, parallelThreshold: 0 });
      backends.push(backend);
      const random = new Random(c.inChannels * 31 + c.outChannels);
      const values = c.extremes ? 'extremes' : 'uniform';
      const input: QuantParams = { scale: 0.05, zeroPoint: c.inputZeroPoint ?? random.int(-128, 127) };
      const output: QuantParams = { scale: c.extremes ? 40 : 0.3, zeroPoint: c.outputZeroPoint ?? random.int(-20, 20) };
      const weights = new QuantizedConvWeights({
        kind: 'pointwiseConv2d',
        filter: randomInt8s(random, c.inChannels * c.outChannels, values, -INT8_WEIGHT_MAX),
        filterShape: [c.inChannels, c.outChannels],
        bias: Int32Array.from({ length: c.outChannels }, () => random.int(-(2 ** 14), 2 ** 14)),
        weightScales: Array.from({ length: c.outChannels }, () => 0.002 + 0.01 * random.next()),
        input,
        output,
        activation: c.activation,
      });
      const x = randomInt8Tensor(random, [2, 3, 5, c.inChannels], input, values);
      const actual = await backend.readQuantized(backend.quantizedPointwiseConv2d(x, weights));
      const g = convGeometry({
        kind: 'pointwiseConv2d',
        inputShape: x.shape,
        kernelHeight: 1,
        kernelWidth: 1,
        outChannels: c.outChannels,
        hasBias: true,
        activation: c.activation,
      });
      expect(actual.data).toEqual(referenceQuantizedPointwiseConv2d(x.data, weights.filter, weights.bias, g, weights.requantization));
    });
  },
);
