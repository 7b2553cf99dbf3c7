import { describeValue, ValueError } from '@sepconv/tensor';
import { isTuneRecord, type TuneCache, type TuneRecord } from './tune-cache.js';

type NodeFs = typeof import('node:fs/promises');

/** `node:fs/promises` by a specifier bundlers cannot see, so a browser bundle neither resolves nor warns about it. */
function nodeFs(): Promise<NodeFs> {
  const specifier = 'node:fs/promises';
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier) as Promise<NodeFs>;
}

/**
 * A {@link TuneCache} kept in a JSON file (Node only): read once, on the first lookup, and
 * written whole after each new result (to a temporary file renamed over it, so a crash never
 * leaves half a file). A missing file is an empty cache; entries that are not tuning records
 * are ignored, so a damaged file costs a retune, not an error.
 *
 * ```ts
 * const model = await instantiate(mobilenetV1(), backend, { tune: true, tuneCache: fileTuneCache('.sepconv-tuning.json') });
 * ```
 * @throws ValueError naming `fileTuneCache` and `path` when it is not a non-empty string.
 */
export function fileTuneCache(path: string): TuneCache {
  if (typeof path !== 'string' || path === '') {
    throw new ValueError('fileTuneCache', 'path', `path must be a non-empty file path, got ${describeValue(path)}`);
  }
  let records: Promise<Map<string, TuneRecord>> | undefined;
  let writing: Promise<void> = Promise.resolve();
  const load = async (): Promise<Map<string, TuneRecord>> => {
    const fs = await nodeFs();
    const text = await fs.readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '{}';
      throw error;
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = {};
    }
    const entries = typeof parsed === 'object' && parsed !== null ? Object.entries(parsed) : [];
    return new Map(entries.filter((entry): entry is [string, TuneRecord] => isTuneRecord(entry[1])));
  };
  return {
    async get(key) {
      records ??= load();
      return (await records).get(key);
    },
    async set(key, record) {
      records ??= load();
      const map = await records;
      map.set(key, record);
      // One write at a time, each of the whole map as it is then.
      writing = writing.then(async () => {
        const fs = await nodeFs();
        const temporary = `${path}.${process.pid}.tmp`;
        await fs.writeFile(temporary, `${JSON.stringify(Object.fromEntries(map), null, 1)}\n`);
        await fs.rename(temporary, path);
      });
      await writing;
    },
  };
}
