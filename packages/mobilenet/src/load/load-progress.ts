/**
 * One `onProgress` report of {@link loadModel}. Byte counts cover every file of the model
 * together (model.json, then its weight shards, read in parallel); `file*` fields describe
 * the file whose bytes just arrived. `loadedBytes` never decreases; the last report of a load
 * that succeeds has `loadedBytes === totalBytes` and `fraction === 1`.
 */
export interface LoadProgress {
  /** Bytes read so far, all files together. */
  readonly loadedBytes: number;
  /**
   * Bytes of all files together, known once model.json is read: its size plus the weight bytes
   * its manifest describes (exact, unlike a `Content-Length`, which a compressed response
   * does not give for the body). Undefined while model.json is being read.
   */
  readonly totalBytes?: number | undefined;
  /** `loadedBytes / totalBytes` in [0, 1], when `totalBytes` is known. */
  readonly fraction?: number | undefined;
  /** The file these bytes came from: its URL (`href`), path, or name (in-memory files and `File`s). */
  readonly file: string;
  /** Bytes read so far of `file`. */
  readonly fileLoadedBytes: number;
  /** The size of `file` where the source says it: `Content-Length` (uncompressed responses only), the file size on disk, `File.size`. */
  readonly fileTotalBytes?: number | undefined;
}

/** Adds up the bytes of every file of one load and reports them to `onProgress`. */
export class ProgressTracker {
  private loaded = 0;
  private total: number | undefined;
  private reportedComplete = false;
  private last: { file: string; fileLoadedBytes: number; fileTotalBytes: number | undefined } | undefined;

  constructor(private readonly onProgress: ((progress: LoadProgress) => void) | undefined) {}

  /** Once the entry file is read: the total is what was read so far plus `bytes` (the manifest's weight bytes). */
  expectRemaining(bytes: number): void {
    this.total = this.loaded + bytes;
  }

  /** Records `bytes` more of `file` (`fileLoaded` of `fileTotal` so far) and reports. */
  add(file: string, bytes: number, fileLoaded: number, fileTotal?: number): void {
    this.loaded += bytes;
    if (this.onProgress === undefined) return;
    // A shard longer than its manifest says fails in the reader; until then the total stretches rather than passing 1.
    const total = this.total === undefined ? undefined : Math.max(this.total, this.loaded);
    const fraction = total === undefined ? undefined : total === 0 ? 1 : this.loaded / total;
    this.reportedComplete = fraction === 1;
    this.last = { file, fileLoadedBytes: fileLoaded, fileTotalBytes: fileTotal };
    this.onProgress({ loadedBytes: this.loaded, totalBytes: total, fraction, file, fileLoadedBytes: fileLoaded, fileTotalBytes: fileTotal });
  }

  /**
   * Called when every file is read: reports once more if the last report did not already say
   * `fraction: 1` (model.json read before its total was known, and no shard after it). Nothing
   * when fewer bytes came than the manifest describes: the reader is about to refuse them.
   */
  complete(entryName: string): void {
    if (this.onProgress === undefined || this.reportedComplete || (this.total !== undefined && this.loaded < this.total)) return;
    this.reportedComplete = true;
    this.onProgress({ loadedBytes: this.loaded, totalBytes: this.loaded, fraction: 1, ...(this.last ?? { file: entryName, fileLoadedBytes: 0 }) });
  }
}
