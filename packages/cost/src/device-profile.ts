import { ValueError } from '@sepconv/tensor';

/**
 * A device as the roofline model sees it: how fast it computes and how fast it moves data.
 * Plain data; `apps/bench` measures real ones.
 */
export interface DeviceProfile {
  readonly name: string;
  /** Peak float32 arithmetic in FLOP/s (a fused multiply-add is 2 FLOPs). */
  readonly peakFlops: number;
  /** Sustained memory bandwidth in bytes/s. */
  readonly memoryBandwidth: number;
}

/**
 * Checks a device profile: a name and positive, finite rates.
 * @throws ValueError naming `op` and the field at fault.
 */
export function checkDeviceProfile(op: string, profile: unknown): asserts profile is DeviceProfile {
  if (typeof profile !== 'object' || profile === null) {
    throw new ValueError(op, 'profile', `profile must be { name, peakFlops, memoryBandwidth }, got ${JSON.stringify(profile)}`);
  }
  const candidate = profile as Record<string, unknown>;
  if (typeof candidate.name !== 'string') {
    throw new ValueError(op, 'profile.name', `profile.name must be a string, got ${JSON.stringify(candidate.name)}`);
  }
  for (const field of ['peakFlops', 'memoryBandwidth'] as const) {
    const value = candidate[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new ValueError(op, `profile.${field}`, `profile.${field} must be a positive finite number, got ${JSON.stringify(value)}`);
    }
  }
}
