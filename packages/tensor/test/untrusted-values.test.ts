// Values a model file or a careless caller can hand the validators: nested 100,000 deep, huge,
// or with dimensions whose product is Infinity or NaN. Each is refused with a typed error whose
// message stays short, built without recursion. (The layer builders' cases are in
// @sepconv/graph's test/untrusted-values.test.ts.)
import { describe, expect, it } from 'vitest';
import {
  assertValidShape,
  conv2dGeometry,
  describeValue,
  MAX_VALUE_PREVIEW,
  reshapeGeometry,
  SepconvError,
  ShapeError,
  ValueError,
  zeros,
  type Tensor,
} from '../src/index.js';

/** `[[[…[0]…]]]`, `depth` arrays deep, built without recursion. */
function nested(depth: number): unknown[] {
  let value: unknown[] = [0];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Runs `call`, which must throw a SepconvError, and returns it. */
function thrownBy(call: () => unknown): SepconvError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(SepconvError);
    return error as SepconvError;
  }
  throw new Error('the call did not throw');
}

describe('describeValue', () => {
  it('writes primitives as a reader expects them', () => {
    expect(describeValue('toString')).toBe("'toString'");
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(-Infinity)).toBe('-Infinity');
    expect(describeValue(1e300)).toBe('1e+300');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(12n)).toBe('12n');
    expect(describeValue(Symbol('s'))).toBe('Symbol(s)');
    expect(describeValue(function named() {})).toBe('function named');
  });

  it('shows arrays and objects one level deep, as formatShape does for shapes', () => {
    expect(describeValue([3, 3, 16, 1])).toBe('[3, 3, 16, 1]');
    expect(describeValue([1, 'a', [2], {}, null])).toBe("[1, 'a', […], {…}, null]");
    expect(describeValue({})).toBe('{}');
    expect(describeValue({ dtype: 'int4', scale: { x: 1 } })).toBe("{ dtype: 'int4', scale: {…} }");
    expect(describeValue(new Uint8Array(3))).toBe('Uint8Array(3 bytes)');
    expect(describeValue(new ArrayBuffer(5))).toBe('ArrayBuffer(5 bytes)');
  });

  it('stays within the preview limit for huge and deeply nested values, and never calls getters', () => {
    const values: unknown[] = [
      'x'.repeat(1_000_000),
      Array.from({ length: 100_000 }, (_, i) => i),
      Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`key${i}`, i])),
      nested(100_000),
      { ['k'.repeat(100_000)]: 1 },
    ];
    for (const value of values) expect(describeValue(value).length).toBeLessThanOrEqual(MAX_VALUE_PREVIEW);
    expect(describeValue(Array.from({ length: 100_000 }, (_, i) => i))).toMatch(/^\[0, 1, 2, .*, …\] \(100000 items\)$/);
    expect(describeValue(nested(100_000))).toBe('[[…]]');
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(describeValue(cyclic)).toBe('[[…]]');
    let read = false;
    const withGetter = Object.defineProperty({}, 'trap', { enumerable: true, get: () => (read = true) });
    expect(describeValue(withGetter)).toBe('{ trap: (getter) }');
    expect(read).toBe(false);
  });
});

describe('shapes whose product is Infinity or NaN', () => {
  it('assertValidShape refuses [1e300, 1e300, 0] (its product is NaN) and dimensions past safe integers', () => {
    expect(() => assertValidShape('test', 'shape', [1e300, 1e300, 0])).toThrow(/^test: shape must hold non-negative integers, got 1e\+300 at axis 0/);
    const error = thrownBy(() => assertValidShape('test', 'shape', [2 ** 40, 2 ** 40, 0]));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toBe(
      'test: shape [1099511627776, 1099511627776, 0] has more elements (zero dimensions aside) than the 2147483647 (2^31 - 1) a tensor may hold',
    );
    expect(() => assertValidShape('test', 'shape', [2 ** 60, 0])).toThrow(ShapeError);
    expect(() => assertValidShape('test', 'shape', [2 ** 53 + 2])).toThrow(/must hold non-negative integers, got 9007199254740994 at axis 0/);
    expect(() => assertValidShape('test', 'shape', [0, 5, 7])).not.toThrow();
  });

  it('zeros and reshape refuse them rather than building a tensor that claims 1e300 rows', () => {
    expect(() => zeros([1e300, 1e300, 0])).toThrow(ShapeError);
    expect(() => reshapeGeometry(zeros([0]), [1e300, 1e300, 0])).toThrow(ShapeError);
  });

  it('a tensor-like object with such a shape is refused by every op', () => {
    const fake = { shape: [0, 1e300, 1e300, 3], dtype: 'float32', size: 0, location: 'host', isDisposed: false, dispose() {} } as Tensor;
    expect(() => conv2dGeometry(fake, zeros([1, 1, 3, 1]))).toThrow(/^conv2d: x has more than 2147483647/);
  });
});

describe('errors about deeply nested values do not overflow the stack', () => {
  const deep = nested(100_000);
  const cases: [string, () => unknown][] = [
    ['assertValidShape (not an array)', () => assertValidShape('test', 'shape', { deep } as unknown as number[])],
    ['assertValidShape (a nested dimension)', () => assertValidShape('test', 'shape', deep as number[])],
    ['conv2dGeometry options', () => conv2dGeometry(zeros([1, 4, 4, 3]), zeros([1, 1, 3, 1]), deep as never)],
  ];
  for (const [what, call] of cases) {
    it(what, () => {
      const error = thrownBy(call);
      expect(error).toBeInstanceOf(error instanceof ShapeError ? ShapeError : ValueError);
      expect(error.message.length).toBeLessThan(400);
    });
  }
});
