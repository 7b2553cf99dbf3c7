import { randomNormal, ValueError, type Backend, type Tensor } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { expectTypedRejection, expectTypedRejectionAsync } from './backend-test-helpers.js';

/** Bytes a backend holds for tensors, e.g. the CPU backend's `allocatedBytes`, WebGPU's live buffer bytes. */
export type MemoryProbe<B extends Backend = Backend> = (backend: B) => number;

/** The title of the skipped test a backend without a memory probe gets. */
export const SCOPE_MEMORY_NOT_MEASURED = 'scope memory: not measured, no memory probe given (the backend keeps its tensors in the JavaScript heap)';

const x = randomNormal([1, 6, 6, 3], 31);
const depthwise = randomNormal([3, 3, 3, 1], 32);
const pointwise = randomNormal([3, 4], 33);
const perChannel = randomNormal([1, 1, 4, 1], 34);

/** Depthwise, pointwise, then a ReLU6 per-channel depthwise: three tensors, the last one returned; `created` records them all. */
function chain(backend: Backend, created: Tensor[]): Tensor {
  const a = backend.depthwiseConv2d(x, depthwise, { padding: 'same' });
  const b = backend.pointwiseConv2d(a, pointwise);
  const c = backend.depthwiseConv2d(b, perChannel, { activation: 'relu6' });
  created.push(a, b, c);
  return c;
}

function live(tensors: readonly Tensor[]): Tensor[] {
  return tensors.filter((t) => !t.isDisposed);
}

class Planned extends Error {}

/**
 * The scoped-memory contract (`backend.scope`, `backend.scopeAsync`) every backend gets from
 * `defineBackend`: what a block creates and does not return is disposed, what it returns lives
 * on and reads correctly, scopes nest, a throw disposes too. With `memory`, the backend's own
 * memory count is checked to come back exactly.
 */
export function describeScopeConformance<B extends Backend>(getBackend: () => B, memory?: MemoryProbe<B>): void {
  describe('scoped memory (backend.scope / scopeAsync)', () => {
    const expected = async (): Promise<Float32Array> => {
      const created: Tensor[] = [];
      const data = await getBackend().read(chain(getBackend(), created));
      for (const t of created) t.dispose();
      return data;
    };

    it('disposes what the block created except the tensor it returns, which reads as outside a scope', async () => {
      const backend = getBackend();
      const created: Tensor[] = [];
      const y = backend.scope(() => chain(backend, created));
      expect(live(created)).toEqual([y]);
      expect(Array.from(await backend.read(y))).toEqual(Array.from(await expected()));
      expect(x.isDisposed, 'an input made outside the scope is left alone').toBe(false);
      y.dispose();
    });

    it('keeps every tensor in a returned array or record (nested), and passes other values through', () => {
      const backend = getBackend();
      const created: Tensor[] = [];
      const result = backend.scope(() => {
        const first = chain(backend, created);
        const second = chain(backend, created);
        chain(backend, created);
        return { outputs: [first], named: { second }, label: 'kept', count: 2 };
      });
      expect(new Set(live(created))).toEqual(new Set([result.outputs[0], result.named.second]));
      expect(created.length - live(created).length).toBe(7);
      expect([result.label, result.count]).toEqual(['kept', 2]);
      for (const t of live(created)) t.dispose();
    });

    it('nests: what an inner scope returns belongs to the outer one, which disposes it unless it returns it too', () => {
      const backend = getBackend();
      const created: Tensor[] = [];
      let innerResult: Tensor | undefined;
      const outer = backend.scope(() => {
        innerResult = backend.scope(() => chain(backend, created));
        expect(live(created), 'after the inner scope').toEqual([innerResult]);
        return backend.scope(() => chain(backend, created));
      });
      expect(innerResult?.isDisposed, 'the inner result, not returned by the outer scope').toBe(true);
      expect(live(created)).toEqual([outer]);
      outer.dispose();
    });

    it('a throw inside a scope disposes everything the block created and rethrows the same error', () => {
      const backend = getBackend();
      const created: Tensor[] = [];
      const planned = new Planned('planned');
      expect(() =>
        backend.scope(() => {
          backend.scope(() => chain(backend, created));
          chain(backend, created);
          throw planned;
        }),
      ).toThrow(planned);
      expect(created).toHaveLength(6);
      expect(live(created)).toEqual([]);
      // A typed error from an op inside the scope passes through unchanged, the tensors before it disposed.
      expect(() => backend.scope(() => backend.pointwiseConv2d(chain(backend, created), pointwise))).toThrow(/pointwiseConv2d/);
      expect(live(created)).toEqual([]);
    });

    it('a block that returns a promise is refused with a ValueError naming scope and fn, its tensors disposed', async () => {
      const backend = getBackend();
      const created: Tensor[] = [];
      let pending: Promise<unknown> | undefined;
      expectTypedRejection(() => backend.scope(() => (pending = Promise.resolve(chain(backend, created)))), ValueError, 'scope', 'fn');
      await pending;
      expect(live(created)).toEqual([]);
      expectTypedRejection(() => backend.scope(42 as unknown as () => void), ValueError, 'scope', 'fn');
    });

    it('scopeAsync: tensors from run blocks and track live across awaits and are disposed when it settles, but for its result', async () => {
      const backend = getBackend();
      const created: Tensor[] = [];
      const untracked: Tensor[] = [];
      const result = await backend.scopeAsync(async (scope) => {
        const y = scope.run(() => chain(backend, created));
        const data = await backend.read(y);
        const tracked = scope.track(backend.depthwiseConv2d(x, depthwise));
        created.push(tracked);
        expect(live(created), 'inside, after an await').toEqual([y, tracked]);
        const kept = scope.run(() => chain(backend, created));
        chain(backend, untracked);
        return { data, kept };
      });
      expect(live(created)).toEqual([result.kept]);
      expect(Array.from(result.data)).toEqual(Array.from(await expected()));
      expect(live(untracked), 'tensors the async function did not give its scope are the caller’s').toHaveLength(3);
      for (const t of [...live(created), ...live(untracked)]) t.dispose();
    });

    it('scopeAsync: a rejection disposes what the function gave its scope and rejects with the same error', async () => {
      const backend = getBackend();
      const created: Tensor[] = [];
      const planned = new Planned('planned');
      await expect(
        backend.scopeAsync(async (scope) => {
          scope.run(() => chain(backend, created));
          await Promise.resolve();
          created.push(scope.track(backend.depthwiseConv2d(x, depthwise)));
          throw planned;
        }),
      ).rejects.toBe(planned);
      expect(live(created)).toEqual([]);
      await expectTypedRejectionAsync(() => backend.scopeAsync(null as unknown as () => Promise<void>), ValueError, 'scopeAsync', 'fn');
    });

    if (!memory) {
      it.skip(SCOPE_MEMORY_NOT_MEASURED, () => {});
      return;
    }

    it("the backend's memory comes back exactly after a scope, a nested scope and a throw; a returned tensor holds it until disposed", async () => {
      const backend = getBackend();
      // Warm-up: weights a backend packs from a filter stay with the filter, outside any scope.
      const warmUp: Tensor[] = [];
      chain(backend, warmUp);
      for (const t of warmUp) t.dispose();
      const before = memory(backend);
      backend.scope(() => void chain(backend, []));
      expect(memory(backend), 'after a scope that returns nothing').toBe(before);
      const y = backend.scope(() => backend.scope(() => chain(backend, [])));
      const holding = memory(backend);
      expect(holding, 'a returned tensor holds memory').toBeGreaterThan(before);
      expect(Array.from(await backend.read(y))).toEqual(Array.from(await expected()));
      y.dispose();
      expect(memory(backend), 'after disposing the returned tensor').toBe(before);
      expect(() =>
        backend.scope(() => {
          chain(backend, []);
          throw new Planned('planned');
        }),
      ).toThrow(Planned);
      expect(memory(backend), 'after a throw').toBe(before);
      await backend.scopeAsync(async (scope) => {
        scope.run(() => chain(backend, []));
        await Promise.resolve();
      });
      expect(memory(backend), 'after scopeAsync').toBe(before);
    });

    it('a loop of scopes holds the same memory after 200 iterations as after 1', () => {
      const backend = getBackend();
      const held: number[] = [];
      for (let i = 0; i < 200; i++) {
        backend.scope(() => {
          for (let j = 0; j < 3; j++) chain(backend, []);
        });
        if (i === 0 || i === 199) held.push(memory(backend));
      }
      expect(held[1]).toBe(held[0]);
    });
  });
}
