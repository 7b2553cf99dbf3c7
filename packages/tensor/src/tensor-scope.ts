import { describeValue } from './describe-value.js';
import { ValueError } from './errors.js';
import type { Tensor } from './tensor.js';

/**
 * The handle {@link TensorScopes.scopeAsync} passes to its function. An async function cannot be
 * tracked by what runs while it is pending (other code on the same backend interleaves at every
 * `await`), so it says which tensors are its own: those created inside `run` blocks and those
 * handed to `track`. When the async scope settles, every one of them that its promise does not
 * resolve to is disposed.
 */
export interface AsyncTensorScope {
  /**
   * Runs `fn` synchronously as `backend.scope(fn)` does — what it creates and does not return is
   * disposed when it returns — and the tensors it returns become this async scope's.
   */
  run<R>(fn: () => R): R;
  /** Makes the tensors in `value` (a tensor, or arrays and plain records of them) this async scope's; returns `value`. */
  track<R>(value: R): R;
}

/** A frame's size past which disposed entries are dropped, so a long-running scope holds no garbage. */
const PRUNE_AT = 1024;

/** The tensors one open scope has seen created. */
class Frame {
  readonly tensors = new Set<Tensor>();
  private pruneAt = PRUNE_AT;

  add(t: Tensor): void {
    this.tensors.add(t);
    if (this.tensors.size < this.pruneAt) return;
    for (const seen of this.tensors) if (seen.isDisposed) this.tensors.delete(seen);
    this.pruneAt = Math.max(PRUNE_AT, 2 * this.tensors.size);
  }
}

/**
 * The scoped-memory bookkeeping of one backend (`defineBackend` keeps one per backend and
 * passes every tensor an operation returns to {@link TensorScopes.track}). Scopes nest: the
 * tensors an inner scope returns belong to the scope around it.
 */
export class TensorScopes {
  private readonly open: Frame[] = [];

  /** Records `t`, just created by an operation, in the innermost open scope (if any); returns it. */
  track<T extends Tensor>(t: T): T {
    this.open.at(-1)?.add(t);
    return t;
  }

  /**
   * Runs `fn` and disposes every tensor this backend created meanwhile, except those in what
   * `fn` returns (a tensor, or arrays and plain records of them, nested; other values pass
   * through). When `fn` throws, everything it created is disposed and the error goes on.
   * @throws ValueError naming `fn` when it is not a function or returns a promise (use `scopeAsync`).
   */
  scope<R>(fn: () => R, op = 'scope'): R {
    assertFunction(op, fn);
    const frame = new Frame();
    this.open.push(frame);
    let result: R;
    try {
      result = fn();
    } catch (error) {
      this.close(frame, new Set());
      throw error;
    }
    if (isThenable(result)) {
      this.close(frame, new Set());
      throw new ValueError(
        op,
        'fn',
        'fn returned a promise: a scope ends when fn returns, before the promise settles; use scopeAsync for an async function',
      );
    }
    const kept = this.close(frame, tensorsIn(result, frame.tensors));
    // What the scope returns is the enclosing scope's to dispose (or the caller's when none is open).
    const parent = this.open.at(-1);
    if (parent) for (const t of kept) parent.add(t);
    return result;
  }

  /**
   * Runs the async `fn`, then disposes the tensors it made its own through the handle it is given
   * (see {@link AsyncTensorScope}) except those its promise resolves to; a rejection disposes
   * them all and rejects with the same error.
   * @throws ValueError naming `fn` when it is not a function.
   */
  async scopeAsync<R>(fn: (scope: AsyncTensorScope) => Promise<R>): Promise<R> {
    const op = 'scopeAsync';
    assertFunction(op, fn);
    const owned = new Set<Tensor>();
    const adopt = (value: unknown): void => {
      for (const t of tensorsIn(value)) owned.add(t);
    };
    const handle: AsyncTensorScope = {
      run: (block) => {
        // A sync scope whose kept tensors come here rather than to whatever sync scope is open.
        const saved = this.open.splice(0);
        try {
          const result = this.scope(block, `${op}: run`);
          adopt(result);
          return result;
        } finally {
          this.open.push(...saved);
        }
      },
      track: (value) => (adopt(value), value),
    };
    let result: R;
    try {
      result = await fn(handle);
    } catch (error) {
      disposeAll(owned, new Set());
      throw error;
    }
    disposeAll(owned, tensorsIn(result, owned));
    return result;
  }

  /** Closes `frame` (the innermost) and disposes what it saw but `kept`; returns `kept`. */
  private close(frame: Frame, kept: ReadonlySet<Tensor>): ReadonlySet<Tensor> {
    if (this.open.pop() !== frame) throw new Error('tensor scopes closed out of order');
    disposeAll(frame.tensors, kept);
    return kept;
  }
}

function assertFunction(op: string, fn: unknown): void {
  if (typeof fn !== 'function') throw new ValueError(op, 'fn', `fn must be a function, got ${describeValue(fn)}`);
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function disposeAll(tensors: Iterable<Tensor>, kept: ReadonlySet<Tensor>): void {
  for (const t of tensors) if (!kept.has(t)) t.dispose();
}

function isTensor(value: object): value is Tensor {
  const candidate = value as Partial<Tensor>;
  return typeof candidate.dispose === 'function' && Array.isArray(candidate.shape) && typeof candidate.location === 'string';
}

function isPlainRecord(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * The tensors in `value` — itself, or inside arrays and plain records, nested — restricted to
 * `among` when given. Walked with an explicit stack and a visited set, so deep or cyclic values
 * cannot overflow or loop.
 */
function tensorsIn(value: unknown, among?: ReadonlySet<Tensor>): Set<Tensor> {
  const found = new Set<Tensor>();
  const visited = new Set<object>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null || visited.has(item)) continue;
    visited.add(item);
    if (isTensor(item)) {
      if (among === undefined || among.has(item)) found.add(item);
    } else if (Array.isArray(item)) {
      for (const element of item as unknown[]) pending.push(element);
    } else if (isPlainRecord(item)) {
      for (const element of Object.values(item)) pending.push(element);
    }
  }
  return found;
}
