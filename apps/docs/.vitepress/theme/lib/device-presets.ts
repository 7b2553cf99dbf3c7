import type { DeviceProfile } from '@sepconv/cost';

/**
 * Roofline profiles the calculator offers. The numbers are the ones measured on the project's
 * machines (AMD Zen 5, one core; CONTRIBUTING.md lists them); the form lets a visitor enter their own.
 * The int8 peak is given only where it was measured: WebAssembly's `i32x4.dot_i16x8_s` loop of
 * `apps/bench`'s device profile, best chunk interleaved with the float loop in one process on a
 * loaded machine (93 GOP/s beside the float loop's 53 GFLOP/s there), to be measured again quietly.
 */
export const DEVICE_PRESETS: readonly DeviceProfile[] = [
  { name: 'Zen 5 core, AVX-512 FMA', peakFlops: 209e9, memoryBandwidth: 35e9 },
  { name: 'Zen 5 core, WebAssembly SIMD', peakFlops: 49e9, memoryBandwidth: 35e9, peakInt8Ops: 93e9 },
  { name: 'Zen 5 core, plain JavaScript', peakFlops: 5e9, memoryBandwidth: 35e9 },
];

/** The preset at `index`, as the form's select gives it (its options are the presets' indices). */
export function devicePreset(index: number): DeviceProfile {
  const preset = DEVICE_PRESETS[index];
  if (!preset) throw new RangeError(`no device preset ${index}; there are ${DEVICE_PRESETS.length}`);
  return preset;
}
