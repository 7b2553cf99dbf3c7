import type { DeviceProfile } from '@sepconv/cost';

/**
 * Roofline profiles the calculator offers. The numbers are the ones measured on the project's
 * machines (AMD Zen 5, one core; CONTRIBUTING.md lists them); the form lets a visitor enter their own.
 */
export const DEVICE_PRESETS: readonly DeviceProfile[] = [
  { name: 'Zen 5 core, AVX-512 FMA', peakFlops: 209e9, memoryBandwidth: 35e9 },
  { name: 'Zen 5 core, WebAssembly SIMD', peakFlops: 49e9, memoryBandwidth: 35e9 },
  { name: 'Zen 5 core, plain JavaScript', peakFlops: 5e9, memoryBandwidth: 35e9 },
];

/** The preset at `index`, as the form's select gives it (its options are the presets' indices). */
export function devicePreset(index: number): DeviceProfile {
  const preset = DEVICE_PRESETS[index];
  if (!preset) throw new RangeError(`no device preset ${index}; there are ${DEVICE_PRESETS.length}`);
  return preset;
}
