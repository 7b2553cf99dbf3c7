import { formatShape, ShapeError } from './errors.js';
import { HostTensor } from './tensor.js';

/**
 * Layout conversions between sepconv's layouts (NHWC activations, HWIO filters, depthwise
 * `[KH, KW, C, M]`) and PyTorch / ONNX's (NCHW, OIHW, depthwise `[C·M, 1, KH, KW]`).
 * All return new host tensors.
 */

/** Every conversion here permutes the axes of a rank-4 tensor. */
type Order4 = readonly [number, number, number, number];
type Four = [number, number, number, number];

const contiguousStrides = (shape: readonly number[]): Four => [shape[1]! * shape[2]! * shape[3]!, shape[2]! * shape[3]!, shape[3]!, 1];

/** `to[Σ a·toStrides] = from[Σ a·fromStrides]` over every index `a` of `dims`, the last axis innermost. */
function copyStrided(from: Float32Array, to: Float32Array, dims: Four, fromStrides: Four, toStrides: Four): void {
  const [d0, d1, d2, d3] = dims;
  const [f0, f1, f2, f3] = fromStrides;
  const [t0, t1, t2, t3] = toStrides;
  for (let a0 = 0; a0 < d0; a0++) {
    for (let a1 = 0; a1 < d1; a1++) {
      for (let a2 = 0; a2 < d2; a2++) {
        const f = a0 * f0 + a1 * f1 + a2 * f2;
        const t = a0 * t0 + a1 * t1 + a2 * t2;
        for (let a3 = 0; a3 < d3; a3++) to[t + a3 * t3] = from[f + a3 * f3]!;
      }
    }
  }
}

function permute(op: string, x: HostTensor, order: Order4, expected: string): HostTensor {
  if (x.shape.length !== 4) {
    throw new ShapeError(op, 'x', `x must be rank 4 ${expected}, got ${formatShape(x.shape)}`);
  }
  const inShape = x.shape as Four;
  const outShape = order.map((axis) => inShape[axis]!) as Four;
  const inStrides = contiguousStrides(inShape);
  const outStrides = contiguousStrides(outShape);
  const out = new Float32Array(x.data.length);
  // Plain nested loops, the innermost over whichever last axis is longer: walking the output
  // (reading strided) or the input (writing strided). An NCHW image's channels are few, so its
  // transpose to NHWC walks the input's rows; it runs on every predict of a model that takes
  // NCHW (224×224×3: 1.7 ms as one loop carrying an index vector).
  if (outShape[3] >= inShape[3]) {
    copyStrided(x.data, out, outShape, order.map((axis) => inStrides[axis]!) as Four, outStrides);
  } else {
    const outStrideOf = new Array<number>(4);
    order.forEach((axis, position) => (outStrideOf[axis] = outStrides[position]!));
    copyStrided(x.data, out, inShape, inStrides, outStrideOf as Four);
  }
  return new HostTensor(out, Object.freeze([...outShape]));
}

/** `[N, C, H, W]` → `[N, H, W, C]`. */
export function nchwToNhwc(x: HostTensor): HostTensor {
  return permute('nchwToNhwc', x, [0, 2, 3, 1], '[batch, channels, height, width]');
}

/** `[N, H, W, C]` → `[N, C, H, W]`. */
export function nhwcToNchw(x: HostTensor): HostTensor {
  return permute('nhwcToNchw', x, [0, 3, 1, 2], '[batch, height, width, channels]');
}

/** PyTorch / ONNX conv weights `[outChannels, inChannels, KH, KW]` → `[KH, KW, inChannels, outChannels]`. */
export function oihwToHwio(filter: HostTensor): HostTensor {
  return permute('oihwToHwio', filter, [2, 3, 1, 0], '[outChannels, inChannels, kernelHeight, kernelWidth]');
}

/** `[KH, KW, inChannels, outChannels]` → `[outChannels, inChannels, KH, KW]`. */
export function hwioToOihw(filter: HostTensor): HostTensor {
  return permute('hwioToOihw', filter, [3, 2, 0, 1], '[kernelHeight, kernelWidth, inChannels, outChannels]');
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
