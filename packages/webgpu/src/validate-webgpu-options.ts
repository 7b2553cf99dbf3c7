import { describeValue, ValueError } from '@sepconv/tensor';
import type { WebGpuBackendOptions } from './create-webgpu-backend.js';
import { webGpuQuantizedVariants } from './quantized-variants.js';
import { webGpuVariants } from './variants.js';

const POWER_PREFERENCES: readonly GPUPowerPreference[] = ['low-power', 'high-performance'];

// What the backend calls on a device and an adapter. Checked by shape rather than with
// `instanceof GPUDevice`: Node's `webgpu` package (Dawn) installs no such globals.
const DEVICE_METHODS = [
  'createBuffer',
  'createBindGroup',
  'createCommandEncoder',
  'createComputePipeline',
  'pushErrorScope',
  'popErrorScope',
  'destroy',
] as const;
const ADAPTER_METHODS = ['requestDevice'] as const;

function hasMethods(value: unknown, methods: readonly string[]): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return methods.every((method) => typeof record[method] === 'function');
}

function isDevice(value: unknown): value is GPUDevice {
  if (!hasMethods(value, DEVICE_METHODS)) return false;
  const queue = value.queue as Record<string, unknown> | undefined;
  return (
    typeof queue?.writeBuffer === 'function' &&
    typeof queue.submit === 'function' &&
    typeof value.limits === 'object' &&
    typeof (value.lost as { then?: unknown } | undefined)?.then === 'function'
  );
}

/**
 * Checks {@link WebGpuBackendOptions} before any GPU work: an object; `device` a `GPUDevice`;
 * `adapter` a `GPUAdapter`; `powerPreference` `'low-power'` or `'high-performance'`;
 * `variant` the name of a kernel variant.
 * @throws ValueError naming `op` and the option at fault.
 */
export function validateWebGpuOptions(op: string, options: unknown): WebGpuBackendOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValueError(op, 'options', `options must be an object, got ${describeValue(options)}`);
  }
  const { device, adapter, powerPreference, variant } = options as Record<string, unknown>;
  if (device !== undefined && !isDevice(device)) {
    throw new ValueError(
      op,
      'options.device',
      `options.device must be a GPUDevice (from adapter.requestDevice() or requestWebGpuDevice()), got ${describeValue(device)}`,
    );
  }
  if (adapter !== undefined && !hasMethods(adapter, ADAPTER_METHODS)) {
    throw new ValueError(
      op,
      'options.adapter',
      `options.adapter must be a GPUAdapter (from navigator.gpu.requestAdapter()), got ${describeValue(adapter)}`,
    );
  }
  if (powerPreference !== undefined && !POWER_PREFERENCES.includes(powerPreference as GPUPowerPreference)) {
    throw new ValueError(
      op,
      'options.powerPreference',
      `options.powerPreference must be 'low-power' or 'high-performance', got ${describeValue(powerPreference)}`,
    );
  }
  const names = [...webGpuVariants, ...webGpuQuantizedVariants].map((v) => v.name);
  if (variant !== undefined && !names.includes(variant as string)) {
    throw new ValueError(
      op,
      'options.variant',
      `options.variant must be one of ${names.map((name) => `'${name}'`).join(', ')}, got ${describeValue(variant)}`,
    );
  }
  return options as WebGpuBackendOptions;
}
