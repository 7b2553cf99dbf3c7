import type { Padding } from '@sepconv/tensor';
import type { NodeContext } from './node-context.js';

/** The spatial window of a Conv or a pooling node, in ONNX's attribute terms. */
export interface OnnxWindow {
  readonly inHeight: number;
  readonly inWidth: number;
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
}

/** Padding before and after one axis for ONNX's `SAME_*`: the output is `ceil(in / stride)`. */
function samePadding(size: number, kernel: number, stride: number, dilation: number, lower: boolean): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max(0, (out - 1) * stride + (kernel - 1) * dilation + 1 - size);
  const small = Math.floor(total / 2);
  return lower ? [total - small, small] : [small, total - small];
}

/**
 * A node's `auto_pad` / `pads` as sepconv's padding: `VALID` → `'valid'`; `SAME_UPPER` (the
 * extra pixel at the end, as TensorFlow) → `'same'`; `SAME_LOWER` → the explicit padding it
 * means; `NOTSET` → `pads` `[top, left, bottom, right]` (default zeros).
 * @throws ValueError naming the node for an unknown `auto_pad` or malformed `pads`.
 */
export function onnxPadding(ctx: NodeContext, window: OnnxWindow): Padding {
  const autoPad = ctx.attributes.string('auto_pad', 'NOTSET');
  const { kernel, strides, dilations } = window;
  switch (autoPad) {
    case 'VALID':
      return 'valid';
    case 'SAME_UPPER':
      return 'same';
    case 'SAME_LOWER': {
      const [top, bottom] = samePadding(window.inHeight, kernel[0], strides[0], dilations[0], true);
      const [left, right] = samePadding(window.inWidth, kernel[1], strides[1], dilations[1], true);
      return { top, bottom, left, right };
    }
    case 'NOTSET': {
      const pads = ctx.attributes.ints('pads') ?? [0, 0, 0, 0];
      if (pads.length !== 4 || pads.some((p) => p < 0))
        throw ctx.valueError(`pads must be 4 non-negative integers [top, left, bottom, right], got [${pads.join(', ')}]`);
      const [top, left, bottom, right] = pads as [number, number, number, number];
      return top === 0 && left === 0 && bottom === 0 && right === 0 ? 'valid' : { top, bottom, left, right };
    }
    default:
      throw ctx.valueError(`auto_pad must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got '${autoPad}'`);
  }
}

/** A two-element spatial attribute (`strides`, `dilations`, `kernel_shape`), default `fallback`. */
export function spatialPair(ctx: NodeContext, name: string, fallback: readonly [number, number] | undefined): [number, number] {
  const values = ctx.attributes.ints(name);
  if (values === undefined) {
    if (fallback === undefined) throw ctx.valueError(`attribute ${name} is required`);
    return [...fallback];
  }
  if (values.length !== 2 || values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw ctx.valueError(`attribute ${name} must be 2 positive integers (2-D spatial), got [${values.join(', ')}]`);
  }
  return [values[0]!, values[1]!];
}

/** Any padding as explicit amounts (`'same'` resolved as ONNX's `SAME_UPPER` and TensorFlow do). */
export function explicitPadding(window: OnnxWindow, padding: Padding): { top: number; bottom: number; left: number; right: number } {
  if (padding === 'valid') return { top: 0, bottom: 0, left: 0, right: 0 };
  if (padding !== 'same') return padding;
  const [top, bottom] = samePadding(window.inHeight, window.kernel[0], window.strides[0], window.dilations[0], false);
  const [left, right] = samePadding(window.inWidth, window.kernel[1], window.strides[1], window.dilations[1], false);
  return { top, bottom, left, right };
}
