/**
 * What identifies a GPU for cached tuning results (`backend.fingerprint()`): the adapter's
 * vendor, architecture, device and description from `GPUDevice.adapterInfo`, which is what
 * decides which WGSL variant is fastest (SwiftShader, an integrated GPU and a discrete one order
 * them differently). A runtime without `adapterInfo` gives `webgpu; unknown adapter`.
 */
export function webGpuFingerprint(device: GPUDevice): string {
  const info = (device as Partial<Pick<GPUDevice, 'adapterInfo'>>).adapterInfo;
  const parts = info ? [info.vendor, info.architecture, info.device, info.description].filter((part) => part !== undefined && part !== '') : [];
  return ['webgpu', parts.length > 0 ? parts.join(' ') : 'unknown adapter'].join('; ');
}
