import { describeValue, ValueError } from '@sepconv/tensor';

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
  /**
   * Peak int8 arithmetic in OP/s (a multiply-add is 2 ops, as for `peakFlops`), the rate int8
   * layers are predicted at; required to predict an int8 cost. `apps/bench` measures it with
   * WebAssembly's 16-bit dot product (`i32x4.dot_i16x8_s`) or relaxed SIMD's int8 one.
   */
  readonly peakInt8Ops?: number | undefined;
}

/**
 * The slowest rate a profile may give, per second. Below it a real layer's time overflows to
 * Infinity (1e9 FLOPs at 1e-301 FLOP/s), and no device is that slow.
 */
export const MIN_DEVICE_RATE = 1;

/**
 * Checks a device profile: a name, and rates (`peakInt8Ops` when present) that are finite and at
 * least {@link MIN_DEVICE_RATE} per second (so every predicted time is a finite number).
 * @throws ValueError naming `op` and the field at fault.
 */
export function checkDeviceProfile(op: string, profile: unknown): asserts profile is DeviceProfile {
  if (typeof profile !== 'object' || profile === null) {
    throw new ValueError(op, 'profile', `profile must be { name, peakFlops, memoryBandwidth, peakInt8Ops? }, got ${describeValue(profile)}`);
  }
  const candidate = profile as Record<string, unknown>;
  if (typeof candidate.name !== 'string') {
    throw new ValueError(op, 'profile.name', `profile.name must be a string, got ${describeValue(candidate.name)}`);
  }
  for (const field of ['peakFlops', 'memoryBandwidth', 'peakInt8Ops'] as const) {
    const value = candidate[field];
    if (field === 'peakInt8Ops' && value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < MIN_DEVICE_RATE) {
      throw new ValueError(
        op,
        `profile.${field}`,
        `profile.${field} must be a finite number >= ${MIN_DEVICE_RATE} (per second), got ${describeValue(value)}`,
      );
    }
  }
}
