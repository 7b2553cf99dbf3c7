import { describe, expect, it } from 'vitest';
import { tensor, TensorScopes, ValueError, zeros, type Tensor } from '../src/index.js';
import { createReferenceBackend } from '../src/reference/index.js';

const x = tensor([1, -2, 3, -4], [1, 2, 2, 1]);
const filter = tensor([2], [1, 1]);

describe('backend.scope', () => {
  it("tracks each backend's own operations only: another backend's tensors and host tensors are left alone", () => {
    const [a, b] = [createReferenceBackend(), createReferenceBackend()];
    let fromB: Tensor | undefined;
    let host: Tensor | undefined;
    let fromA: Tensor | undefined;
    a.scope(() => {
      fromA = a.pointwiseConv2d(x, filter);
      fromB = b.pointwiseConv2d(x, filter);
      host = zeros([2]);
    });
    expect([fromA?.isDisposed, fromB?.isDisposed, host?.isDisposed]).toEqual([true, false, false]);
  });

  it('finds returned tensors in cyclic and very large results without overflowing or looping', () => {
    const backend = createReferenceBackend();
    const created: Tensor[] = [];
    const result = backend.scope(() => {
      const cyclic: { self?: unknown; kept: Tensor } = { kept: backend.pointwiseConv2d(x, filter) };
      cyclic.self = cyclic;
      const many: unknown[] = Array.from({ length: 200_000 }, (_, i) => i);
      many.push(backend.pointwiseConv2d(x, filter));
      created.push(cyclic.kept, many.at(-1) as Tensor, backend.pointwiseConv2d(x, filter));
      return { cyclic, many };
    });
    expect(created.map((t) => t.isDisposed)).toEqual([false, false, true]);
    expect(result.many).toHaveLength(200_001);
  });

  it('looks only inside arrays and plain records: a tensor held by a class instance is disposed', () => {
    const backend = createReferenceBackend();
    class Holder {
      constructor(readonly t: Tensor) {}
    }
    const holder = backend.scope(() => new Holder(backend.pointwiseConv2d(x, filter)));
    expect(holder.t.isDisposed).toBe(true);
  });

  it("scopeAsync's run keeps its result for the async scope even inside an open sync scope", async () => {
    const backend = createReferenceBackend();
    let kept: Tensor | undefined;
    let pending: Promise<boolean> | undefined;
    const start = (): Promise<boolean> =>
      backend.scopeAsync(async (scope) => {
        kept = scope.run(() => backend.pointwiseConv2d(x, filter));
        await Promise.resolve();
        return kept.isDisposed;
      });
    // The sync scope refuses the promise its block returns and disposes what it saw, which must not include `kept`.
    expect(() => backend.scope(() => (pending = start()))).toThrow(ValueError);
    expect(await pending, 'alive after the await').toBe(false);
    expect(kept?.isDisposed, 'disposed when the async scope ended').toBe(true);
  });
});

describe('TensorScopes', () => {
  it('a long-running scope forgets tensors already disposed, and still disposes the rest', () => {
    const scopes = new TensorScopes();
    const survivors: Tensor[] = [];
    scopes.scope(() => {
      for (let i = 0; i < 5000; i++) {
        const t = scopes.track(zeros([1]));
        if (i % 1000 === 0) survivors.push(t);
        else t.dispose();
      }
    });
    expect(survivors.every((t) => t.isDisposed)).toBe(true);
  });

  it('refuses a non-function with a ValueError naming the op and fn', async () => {
    const scopes = new TensorScopes();
    expect(() => scopes.scope('nope' as unknown as () => void)).toThrow(ValueError);
    await expect(scopes.scopeAsync(undefined as unknown as () => Promise<void>)).rejects.toThrow(/scopeAsync: fn must be a function, got undefined/);
  });
});
