// A browser page that is not cross-origin isolated has no SharedArrayBuffer: the backend runs
// on one thread, says why in `notes`, and warns once per process when threads were asked for.
// Its own file: the once-per-process flag is module state, fresh in each test file.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCpuBackend } from '../src/index.js';

describe('createCpuBackend without shared memory (a page that is not cross-origin isolated)', () => {
  beforeEach(() => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('runs on 1 thread, notes why, and warns once however many backends ask for threads', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const first = await createCpuBackend({ threads: 4 });
    const second = await createCpuBackend({ threads: 2 });
    expect(first.threads).toBe(1);
    expect(second.threads).toBe(1);
    expect(first.notes[0]).toMatch(/running on 1 thread instead of 4: shared memory is not available .*cross-origin isolated/);
    expect(second.notes[0]).toMatch(/instead of 2/);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^@sepconv\/cpu: running on 1 thread instead of 4: .*COOP\/COEP/);
    first.dispose();
    second.dispose();
  });

  it('does not warn when the default thread count falls back (nobody asked for threads)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const backend = await createCpuBackend();
    expect(backend.threads).toBe(1);
    expect(warn).not.toHaveBeenCalled();
    backend.dispose();
  });
});
