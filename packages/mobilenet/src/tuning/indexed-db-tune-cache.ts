import { createStore, get, set } from 'idb-keyval';
import { isTuneRecord, type TuneCache } from './tune-cache.js';

/** Options of {@link indexedDbTuneCache}. */
export interface IndexedDbTuneCacheOptions {
  /** The IndexedDB database. Default `'sepconv-tuning'`. */
  database?: string | undefined;
  /** Its object store. Default `'results'`. */
  store?: string | undefined;
}

/**
 * A {@link TuneCache} in the browser's IndexedDB (through `idb-keyval`), so a page tunes a
 * model once per device and later visits reuse the choice. Needs `indexedDB` (browsers, workers);
 * a record that is not a tuning record reads as a miss.
 *
 * ```ts
 * const model = await instantiate(mobilenetV2(), backend, { tune: 1000, tuneCache: indexedDbTuneCache() });
 * ```
 */
export function indexedDbTuneCache(options: IndexedDbTuneCacheOptions = {}): TuneCache {
  const store = createStore(options.database ?? 'sepconv-tuning', options.store ?? 'results');
  return {
    async get(key) {
      const value: unknown = await get(key, store);
      return isTuneRecord(value) ? value : undefined;
    },
    set: (key, record) => set(key, record, store),
  };
}
