// IndexedDB as browsers have it, in memory (fake-indexeddb installs the globals idb-keyval uses).
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { indexedDbTuneCache, instantiate, mobilenetV1 } from '../src/index.js';
import { createTimedFakeBackend } from './support/timed-fake-backend.js';

const spec = mobilenetV1({ alpha: 0.25, resolution: 32, classes: 4 });

describe('indexedDbTuneCache', () => {
  it('keeps results in IndexedDB for a later cache (a later page visit) to read', async () => {
    const backend = createTimedFakeBackend();
    const tune = { now: () => backend.clock.now, warmup: 0, repeats: 2, budgetMs: 1e6 };
    const first = await instantiate(spec, backend, { tune, tuneCache: indexedDbTuneCache({ database: 'tuning-test' }) });
    expect(first.tuning!.steps.some((s) => s.source === 'measured')).toBe(true);
    const before = backend.clock.now;
    const again = await instantiate(spec, backend, { tune, tuneCache: indexedDbTuneCache({ database: 'tuning-test' }) });
    expect(backend.clock.now).toBe(before);
    expect(again.tuning!.steps.filter((s) => s.source !== 'single').every((s) => s.source === 'cache')).toBe(true);
    expect(again.tuning!.steps.map((s) => s.chosen)).toEqual(first.tuning!.steps.map((s) => s.chosen));
    // Another database is another cache.
    const elsewhere = await instantiate(spec, backend, { tune, tuneCache: indexedDbTuneCache({ database: 'tuning-test-2' }) });
    expect(elsewhere.tuning!.steps.some((s) => s.source === 'measured')).toBe(true);
  });
});
