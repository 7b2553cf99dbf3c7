/** What `--list` says about a contender: where it runs, and threads only where they mean something. */
export interface ListedContender {
  readonly name: string;
  readonly kind: 'cpu' | 'gpu';
  readonly threads: number;
  readonly packageName: string;
}

/**
 * One `--list` line, e.g. `  sepconv-cpu-2t   cpu, 2 threads   @sepconv/cpu`. A GPU
 * contender shows no thread count: its work runs on the adapter (SwiftShader's own threads
 * without a GPU), whatever the host thread that submits it.
 */
export function listLine(contender: ListedContender, nameWidth = 28): string {
  const where = contender.kind === 'gpu' ? 'gpu (WebGPU)' : `cpu, ${contender.threads} thread${contender.threads > 1 ? 's' : ''}`;
  return `  ${contender.name.padEnd(nameWidth)} ${where.padEnd(16)} ${contender.packageName}`;
}

/** The `--list` lines of several contenders, their names padded to the longest. */
export function listLines(contenders: readonly ListedContender[]): string {
  const width = Math.max(28, ...contenders.map((c) => c.name.length));
  return contenders.map((c) => listLine(c, width)).join('\n');
}
