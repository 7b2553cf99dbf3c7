import type { ContenderInfo } from '../results.js';

/**
 * The peer a sepconv contender's compact row is compared with: a peer of the same kind (CPU
 * with CPU, GPU with GPU) that ran, preferring one on the same thread count, taken from
 * `preferred` (`--peer`) when any of those fits, else in list order. Undefined for a peer's
 * own row and where no peer of the kind ran.
 */
export function chosenPeer(contender: ContenderInfo, contenders: readonly ContenderInfo[], preferred: readonly string[] = []): string | undefined {
  if (contender.role === 'peer') return undefined;
  const peers = contenders.filter((c) => c.role === 'peer' && !c.unavailable && c.kind === contender.kind);
  const fromPreferred = preferred.map((name) => peers.find((p) => p.name === name)).filter((p): p is ContenderInfo => p !== undefined);
  const candidates = fromPreferred.length > 0 ? fromPreferred : peers;
  return (candidates.find((p) => p.threads === contender.threads) ?? candidates[0])?.name;
}
