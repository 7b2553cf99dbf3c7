// The optional softmax and reshape capabilities' bookkeeping: the reference backend declares
// both and passes their tests inside reference-backend.test.ts; a backend without them must be
// reported as skipped with the reason in the title, which this file shows (two skipped tests).
import type { Backend } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import { describeReshapeConformance, describeSoftmaxConformance, RESHAPE_NOT_DECLARED, SOFTMAX_NOT_DECLARED, softmaxCases } from '../src/index.js';

function withoutTail(): Backend {
  const { softmax: _softmax, reshape: _reshape, ...rest } = createReferenceBackend();
  return { ...rest, name: 'reference-without-softmax-reshape' };
}

describe('a backend without softmax and reshape', () => {
  it('really lacks the capabilities the suite probes for', () => {
    expect(withoutTail().softmax).toBeUndefined();
    expect(withoutTail().reshape).toBeUndefined();
    expect(SOFTMAX_NOT_DECLARED).toContain('backend does not declare the optional softmax capability');
    expect(RESHAPE_NOT_DECLARED).toContain('backend does not declare the optional reshape capability');
  });
  describeSoftmaxConformance(withoutTail, withoutTail);
  describeReshapeConformance(withoutTail, withoutTail);
});

describe('the softmax cases', () => {
  it('cover rows of length 1, 5 and 1000, batch 3 and logits that overflow a naive exp', () => {
    const lengths = new Set(softmaxCases.map((c) => c.shape[c.shape.length - 1]));
    for (const n of [1, 5, 1000]) expect(lengths.has(n), `row length ${n}`).toBe(true);
    expect(softmaxCases.some((c) => c.shape[0] === 3)).toBe(true);
    expect(softmaxCases.some((c) => (c.offset ?? 0) >= 1000)).toBe(true);
  });
});
