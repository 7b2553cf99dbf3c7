// The optional add capability's bookkeeping: the reference backend declares add and passes
// those tests inside reference-backend.test.ts; a backend without add must be reported as
// skipped with the reason in the title, which this file shows (its one skipped test).
import { createReferenceBackend } from '@sepconv/tensor/reference';
import type { Backend } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { addCases, ADD_NOT_DECLARED, DEFAULT_TOLERANCE, describeAddConformance } from '../src/index.js';

function withoutAdd(): Backend {
  const { add: _add, ...rest } = createReferenceBackend();
  return { ...rest, name: 'reference-without-add' };
}

describe('a backend without add', () => {
  it('really lacks the capability the suite probes for', () => {
    expect(withoutAdd().add).toBeUndefined();
    expect(ADD_NOT_DECLARED).toContain('backend does not declare the optional add capability');
  });
  describeAddConformance(withoutAdd, withoutAdd, DEFAULT_TOLERANCE);
});

describe('the add cases', () => {
  it('probe channel counts around a 4-wide vector, batch 3, and clipping activations', () => {
    const channels = new Set(addCases.filter((c) => c.shape.length === 4).map((c) => c.shape[3]));
    for (const c of [1, 3, 4, 5, 17, 64]) expect(channels.has(c), `channels ${c}`).toBe(true);
    expect(addCases.some((c) => c.shape[0] === 3)).toBe(true);
    expect(new Set(addCases.map((c) => c.activation))).toEqual(new Set([undefined, 'relu', 'relu6']));
  });
});
