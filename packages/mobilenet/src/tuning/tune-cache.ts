/**
 * What tuning remembers about one layer geometry on one device: the candidate it chose and the
 * best time measured for each candidate it timed. Plain JSON data.
 */
export interface TuneRecord {
  /** The chosen candidate: a kernel variant's name, or `'unfused'` for a separable step run as two calls. */
  readonly chosen: string;
  /** Best (minimum) milliseconds per timed candidate. */
  readonly times: Readonly<Record<string, number>>;
}

/**
 * Where tuning results are kept between `instantiate` calls, keyed by device fingerprint and
 * layer geometry (the key is an opaque string). Either method may be synchronous or return a
 * promise. Implementations: {@link memoryTuneCache} (the default, shared by the process),
 * `fileTuneCache(path)` (Node, a JSON file) and `indexedDbTuneCache()` (browsers).
 */
export interface TuneCache {
  get(key: string): TuneRecord | undefined | Promise<TuneRecord | undefined>;
  set(key: string, record: TuneRecord): void | Promise<void>;
}

/** A cache in this process's memory, gone when the process or page ends. */
export function memoryTuneCache(): TuneCache {
  const records = new Map<string, TuneRecord>();
  return {
    get: (key) => records.get(key),
    set: (key, record) => {
      records.set(key, record);
    },
  };
}

/** The cache `instantiate(…, { tune })` uses when given none: one per process, so a second model on the same device retunes nothing. */
export const defaultTuneCache: TuneCache = memoryTuneCache();

/** Whether `value` has the shape of a {@link TuneRecord} (what a cache file or database holds is not trusted). */
export function isTuneRecord(value: unknown): value is TuneRecord {
  if (typeof value !== 'object' || value === null) return false;
  const { chosen, times } = value as Partial<TuneRecord>;
  return (
    typeof chosen === 'string' &&
    typeof times === 'object' &&
    times !== null &&
    Object.values(times).every((ms) => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)
  );
}
