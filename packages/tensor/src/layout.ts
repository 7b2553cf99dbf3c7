import { formatShape, ShapeError } from './errors.js';
import { HostTensor } from './tensor.js';

/**
 * Layout conversions between sepconv's layouts (NHWC activations, HWIO filters, depthwise
 * `[KH, KW, C, M]`) and PyTorch / ONNX's (NCHW, OIHW, depthwise `[C·M, 1, KH, KW]`).
 * All return new host tensors.
 */

function permute(op: string, t: HostTensor, order: readonly number[], rank: number, expected: string): HostTensor {
  if (t.shape.length !== rank) {
    throw new ShapeError(op, 'x', `x must be rank ${rank} ${expected}, got ${formatShape(t.shape)}`);
  }
  const inShape = t.shape;
  const outShape = order.map((axis) => inShape[axis]!);
  const inStrides = new Array<number>(rank);
  let stride = 1;
  for (let axis = rank - 1; axis >= 0; axis--) {
    inStrides[axis] = stride;
    stride *= inShape[axis]!;
  }
  const out = new Float32Array(t.data.length);
  const index = new Array<number>(rank).fill(0);
  const permutedStrides = order.map((axis) => inStrides[axis]!);
  for (let i = 0; i < out.length; i++) {
    let source = 0;
    for (let axis = 0; axis < rank; axis++) source += index[axis]! * permutedStrides[axis]!;
    out[i] = t.data[source]!;
    for (let axis = rank - 1; axis >= 0; axis--) {
      if (++index[axis]! < outShape[axis]!) break;
      index[axis] = 0;
    }
  }
  return new HostTensor(out, Object.freeze(outShape));
}

/** `[N, C, H, W]` → `[N, H, W, C]`. */
export function nchwToNhwc(x: HostTensor): HostTensor {
  return permute('nchwToNhwc', x, [0, 2, 3, 1], 4, '[batch, channels, height, width]');
}

/** `[N, H, W, C]` → `[N, C, H, W]`. */
export function nhwcToNchw(x: HostTensor): HostTensor {
  return permute('nhwcToNchw', x, [0, 3, 1, 2], 4, '[batch, height, width, channels]');
}

/** PyTorch / ONNX conv weights `[outChannels, inChannels, KH, KW]` → `[KH, KW, inChannels, outChannels]`. */
export function oihwToHwio(filter: HostTensor): HostTensor {
  return permute('oihwToHwio', filter, [2, 3, 1, 0], 4, '[outChannels, inChannels, kernelHeight, kernelWidth]');
}

/** `[KH, KW, inChannels, outChannels]` → `[outChannels, inChannels, KH, KW]`. */
export function hwioToOihw(filter: HostTensor): HostTensor {
  return permute('hwioToOihw', filter, [3, 2, 0, 1], 4, '[kernelHeight, kernelWidth, inChannels, outChannels]');
}

/**
 * PyTorch / ONNX depthwise weights (a grouped conv with `group = C`) `[C·M, 1, KH, KW]` →
 * `[KH, KW, C, M]`. Output channel `c·M + m` is the same in both layouts.
 */
export function depthwiseOihwToHwcm(filter: HostTensor, channelMultiplier: number): HostTensor {
  const op = 'depthwiseOihwToHwcm';
  const [outChannels, one, kernelHeight, kernelWidth] = filter.shape as [number, number, number, number];
  if (
    filter.shape.length !== 4 ||
    one !== 1 ||
    !Number.isInteger(channelMultiplier) ||
    channelMultiplier < 1 ||
    outChannels % channelMultiplier !== 0
  ) {
    throw new ShapeError(
      op,
      'filter',
      `filter must be [channels * multiplier=${channelMultiplier}k, 1, kernelHeight, kernelWidth], got ${formatShape(filter.shape)}`,
    );
  }
  const hwio = oihwToHwio(filter); // [KH, KW, 1, C·M]: the same memory order as [KH, KW, C, M]
  return new HostTensor(hwio.data, Object.freeze([kernelHeight, kernelWidth, outChannels / channelMultiplier, channelMultiplier]));
}

/** `[KH, KW, C, M]` → `[C·M, 1, KH, KW]`, the ONNX / PyTorch grouped-conv layout. */
export function depthwiseHwcmToOihw(filter: HostTensor): HostTensor {
  const op = 'depthwiseHwcmToOihw';
  if (filter.shape.length !== 4) {
    throw new ShapeError(op, 'filter', `filter must be rank 4 [kernelHeight, kernelWidth, channels, multiplier], got ${formatShape(filter.shape)}`);
  }
  const [kernelHeight, kernelWidth, channels, multiplier] = filter.shape as [number, number, number, number];
  const asHwio = new HostTensor(filter.data, [kernelHeight, kernelWidth, 1, channels * multiplier]);
  return hwioToOihw(asHwio);
}
