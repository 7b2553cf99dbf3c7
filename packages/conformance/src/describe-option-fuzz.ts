import { randomUniform, SepconvError, tensor, type Backend, type Tensor } from '@sepconv/tensor';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzParameters } from './fuzz-runs.js';

const x = randomUniform([1, 5, 5, 2], 71);
const disposed = tensor([1, 2], [2]);
disposed.dispose();

/** Every option name any op reads, plus keys that would reach a prototype if assigned naively. */
const KEYS = [
  'strides',
  'dilations',
  'padding',
  'bias',
  'activation',
  'depthwiseBias',
  'depthwiseActivation',
  'axis',
  'value',
  'type',
  'kernelSize',
  'alignCorners',
  'halfPixelCenters',
  'top',
  'bottom',
  'left',
  'right',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'then',
] as const;

/**
 * Values an option may be given by a careless or hostile caller. Numbers stay either tiny or
 * far past every limit: a plausible but huge size (a 20,000² resize) is a legitimate request
 * for gigabytes, not bad input.
 */
const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, -1, 0, 0.5, 1, 2, 3, 2 ** 31, 2 ** 53, 1e308, Number.MAX_SAFE_INTEGER, 1n),
  fc.constantFrom('same', 'valid', 'SAME', 'linear', 'relu', 'relu6', 'sigmoid', 'hardSwish', 'avg', 'max', '', 'toString', '__proto__'),
  fc.constantFrom(null, undefined, true, false, Symbol('option'), () => 1, [], [1], [1, 2], [2, 1], [NaN, 1], [1, 2, 3], ['1', '1']),
  fc.constantFrom<unknown>(
    {},
    { top: 1, bottom: 0, left: 2, right: 1 },
    { top: -1, bottom: 0, left: 0, right: 0 },
    { top: 0.5 },
    JSON.parse('{"__proto__": {"polluted": "yes"}}'),
  ),
  fc.constantFrom<unknown>(tensor([1, 2, 3], [3]), tensor([1, 2], [2]), tensor([1, 2, 3, 4, 5, 6], [6]), disposed, x),
  fc.string({ maxLength: 6 }),
);

/**
 * A random options object: known and prototype keys (made own properties, as JSON.parse makes
 * `__proto__`), random values; sometimes with a null or polluted-looking prototype, sometimes not
 * an object at all.
 */
const options: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.array(fc.tuple(fc.constantFrom(...KEYS), value), { maxLength: 6 }), fc.constantFrom('plain', 'null', 'inherited'))
      .map(([entries, prototype]) => {
        const base = prototype === 'null' ? Object.create(null) : prototype === 'inherited' ? Object.create({ padding: 'bogus', strides: -1 }) : {};
        for (const [key, item] of entries) Object.defineProperty(base, key, { value: item, enumerable: true, configurable: true, writable: true });
        return base as unknown;
      }),
  },
  { weight: 1, arbitrary: value },
);

/** Each op with valid tensors and the fuzzed argument(s); capabilities only when the backend declares them. */
const CALLS: Record<string, (backend: Backend, first: unknown, second: unknown) => Tensor | undefined> = {
  conv2d: (b, o) => b.conv2d(x, randomUniform([3, 3, 2, 3], 72), o as never),
  depthwiseConv2d: (b, o) => b.depthwiseConv2d(x, randomUniform([3, 3, 2, 2], 73), o as never),
  pointwiseConv2d: (b, o) => b.pointwiseConv2d(x, randomUniform([2, 3], 74), o as never),
  separableConv2d: (b, o) => b.separableConv2d(x, randomUniform([3, 3, 2, 1], 75), randomUniform([2, 3], 76), o as never),
  add: (b, o) => b.add?.(x, tensor([1, 2], [2]), o as never),
  sub: (b, o) => b.sub?.(x, x, o as never),
  mul: (b, o) => b.mul?.(x, tensor([2], [1]), o as never),
  div: (b, o) => b.div?.(x, x, o as never),
  activation: (b, o) => b.activation?.(x, o as never),
  concat: (b, o) => b.concat?.([x, x], o as never),
  pad: (b, padding, o) => b.pad?.(x, padding as never, o as never),
  pool2d: (b, o) => b.pool2d?.(x, o as never),
  globalPool2d: (b, o) => b.globalPool2d?.(x, o as never),
  resizeBilinear: (b, size, o) => b.resizeBilinear?.(x, size as never, o as never),
  reshape: (b, shape) => b.reshape?.(x, shape as never),
};

/** Runs one call: a result (disposed) or a SepconvError pass; anything else thrown fails, with what was given. */
function typedErrorsOnly(backend: Backend, op: string) {
  return (first: unknown, second: unknown): void => {
    let y: Tensor | undefined;
    try {
      y = CALLS[op]!(backend, first, second);
    } catch (error) {
      if (error instanceof SepconvError) {
        expect(error.message.startsWith(`${op}:`), error.message).toBe(true);
        return;
      }
      throw new Error(`${op} threw ${String(error)}, not a SepconvError`, { cause: error });
    }
    y?.dispose();
  };
}

/**
 * Fuzzes every op's options (and the non-tensor arguments of `activation`, `pad`,
 * `resizeBilinear`, `reshape`) with random objects — unknown keys, wrong types, NaN, huge
 * numbers, `__proto__` and friends as own keys, other prototypes, non-objects. Each call must
 * return a tensor or throw a SepconvError naming the op; no prototype may be polluted.
 */
export function describeOptionFuzz(label: string, createBackend: () => Backend | Promise<Backend>, runsPerOp = 30): void {
  const parameters = fuzzParameters(runsPerOp);
  describe(`${label}: fuzzed options (${parameters.numRuns} per op) give results or typed errors`, () => {
    let backend: Backend | undefined;
    beforeAll(async () => {
      backend = await createBackend();
    });
    afterAll(() => {
      backend?.dispose();
      expect(({} as { polluted?: unknown }).polluted, 'Object.prototype polluted').toBeUndefined();
    });
    for (const op of Object.keys(CALLS)) {
      it(op, (context) => {
        if (!backend) throw new Error('backend was not created (see the beforeAll error above)');
        if (typeof (backend as unknown as Record<string, unknown>)[op] !== 'function')
          context.skip(`${op}: not run, the backend does not declare it`);
        fc.assert(fc.property(fc.oneof(options, value), options, typedErrorsOnly(backend, op)), parameters);
      });
    }
  });
}
