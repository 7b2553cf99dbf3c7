import { CONV_ACTIVATIONS, SepconvError, type Backend, type KernelName, type Padding } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { absoluteInputs, caseInputs, runCase } from './case-inputs.js';
import type { ConformanceCase } from './conformance-case.js';
import { DEFAULT_TOLERANCE, findMismatches } from './expect-close.js';
import { fuzzParameters } from './fuzz-runs.js';

const OPS: readonly KernelName[] = ['conv2d', 'depthwiseConv2d', 'pointwiseConv2d', 'separableConv2d'];

const pair = (max: number): fc.Arbitrary<number | [number, number]> =>
  fc.oneof(fc.integer({ min: 1, max }), fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 1, max })));

const padding: fc.Arbitrary<Padding> = fc.oneof(
  fc.constantFrom<Padding>('same', 'valid'),
  fc.record({
    top: fc.integer({ min: 0, max: 4 }),
    bottom: fc.integer({ min: 0, max: 4 }),
    left: fc.integer({ min: 0, max: 4 }),
    right: fc.integer({ min: 0, max: 4 }),
  }),
);

// Mostly small channel counts (cheap, and where remainders of 4-wide vectors live), sometimes tile-sized.
const channels = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 9 }) }, { weight: 1, arbitrary: fc.integer({ min: 10, max: 40 }) });

/**
 * Random convolution cases over all four ops: batch 0–2, sizes 1–12, channels 1–40, kernels
 * 1–5, strides and dilations 1–3 (per axis or both), `'same'`, `'valid'` or explicit asymmetric
 * padding up to 4, multipliers 1–3, biases and activations on or off. Some geometries are
 * invalid (a window larger than the padded input): then every backend must refuse them as the
 * reference does.
 */
export const convCase: fc.Arbitrary<ConformanceCase> = fc
  .record({
    op: fc.constantFrom(...OPS),
    // An empty batch now and then (every op must give an empty result of the right shape), mostly one.
    batch: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 6, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.constant(2) }),
    height: fc.integer({ min: 1, max: 12 }),
    width: fc.integer({ min: 1, max: 12 }),
    inChannels: channels,
    outChannels: channels,
    multiplier: fc.integer({ min: 1, max: 3 }),
    kernelHeight: fc.integer({ min: 1, max: 5 }),
    kernelWidth: fc.integer({ min: 1, max: 5 }),
    strides: pair(3),
    dilations: pair(3),
    padding,
    bias: fc.boolean(),
    activation: fc.constantFrom(...CONV_ACTIVATIONS),
    depthwiseBias: fc.boolean(),
    depthwiseActivation: fc.constantFrom(...CONV_ACTIVATIONS),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    scale: fc.constantFrom(1, 4),
  })
  .map((r): ConformanceCase => {
    const kernel = r.op === 'pointwiseConv2d' ? [] : [r.kernelHeight, r.kernelWidth];
    const filterShape =
      r.op === 'conv2d'
        ? [...kernel, r.inChannels, r.outChannels]
        : r.op === 'pointwiseConv2d'
          ? [r.inChannels, r.outChannels]
          : [...kernel, r.inChannels, r.multiplier];
    const separable = r.op === 'separableConv2d';
    return {
      name: `${r.op} x[${r.batch},${r.height},${r.width},${r.inChannels}] filter[${filterShape.join(',')}]`,
      op: r.op,
      xShape: [r.batch, r.height, r.width, r.inChannels],
      filterShape,
      pointwiseFilterShape: separable ? [r.inChannels * r.multiplier, r.outChannels] : undefined,
      strides: r.strides,
      dilations: r.dilations,
      padding: r.padding,
      bias: r.bias,
      activation: r.activation,
      depthwiseBias: separable ? r.depthwiseBias : undefined,
      depthwiseActivation: separable ? r.depthwiseActivation : undefined,
      seed: r.seed,
      scale: r.scale,
    };
  });

type Outcome = { readonly error: string } | { readonly shape: readonly number[]; readonly output: Float32Array };

/** What a backend does with a case: the typed error it throws (class and argument), or its output. */
async function outcome(backend: Backend, c: ConformanceCase, inputs = caseInputs(c), linear = false): Promise<Outcome> {
  let y;
  try {
    y = runCase(backend, c, inputs, linear);
  } catch (error) {
    if (!(error instanceof SepconvError)) throw error;
    return { error: `${error.name} naming ${error.argument}` };
  }
  const output = await backend.read(y);
  y.dispose();
  return { shape: [...y.shape], output };
}

const reference = createReferenceBackend();

/** The property: the backend gives the reference's typed error, or its output within tolerance. */
async function agreesWithReference(backend: Backend, c: ConformanceCase, tolerance: number): Promise<void> {
  const inputs = caseInputs(c);
  const expected = await outcome(reference, c, inputs);
  const actual = await outcome(backend, c, inputs);
  if ('error' in expected || 'error' in actual) {
    expect('error' in actual ? actual.error : 'an output', c.name).toBe('error' in expected ? expected.error : 'an output');
    return;
  }
  expect(actual.shape, c.name).toEqual(expected.shape);
  const magnitude = (await outcome(reference, c, absoluteInputs(inputs), true)) as { output: Float32Array };
  expect(findMismatches(actual.output, expected.output, magnitude.output, tolerance), c.name).toBeUndefined();
}

export interface ConvFuzzOptions {
  /** Examples per run unless `SEPCONV_FUZZ_RUNS` says otherwise; default 30. */
  readonly numRuns?: number;
  /** As in the conformance suite; default {@link DEFAULT_TOLERANCE}. */
  readonly tolerance?: number;
}

/**
 * Fuzzes a backend's four convolutions against the float64 reference with fast-check: random
 * geometries ({@link convCase}) must give the reference's output within tolerance, or the same
 * typed error. A small budget by default; `SEPCONV_FUZZ_RUNS=N` runs N examples, and
 * `SEPCONV_FUZZ_SEED` replays a reported failure.
 */
export function describeConvFuzz(label: string, createBackend: () => Backend | Promise<Backend>, options: ConvFuzzOptions = {}): void {
  const parameters = fuzzParameters(options.numRuns ?? 30);
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  describe(`${label}: fuzzed convolutions against the reference`, () => {
    let backend: Backend | undefined;
    beforeAll(async () => {
      backend = await createBackend();
    });
    afterAll(() => backend?.dispose());
    const getBackend = (): Backend => {
      if (!backend) throw new Error('backend was not created (see the beforeAll error above)');
      return backend;
    };
    it(`${parameters.numRuns} random geometries (all four ops, batch 0–2, asymmetric padding, strides, dilations) agree or fail alike`, async () => {
      await fc.assert(
        fc.asyncProperty(convCase, (c) => agreesWithReference(getBackend(), c, tolerance)),
        parameters,
      );
    }, 600_000);
  });
}
