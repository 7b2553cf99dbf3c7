import { compileQuantized, type QuantizedModel } from '@sepconv/mobilenet';
import { OnnxGraphWriter } from '../onnx/onnx-graph-writer.js';
import { encodeNetwork, NETWORK_INPUT, OPSET, writePlanStep } from './plan-to-onnx.js';

/**
 * Activations go to ONNX Runtime as uint8 with the zero point moved by 128 (`q + 128` for each
 * int8 `q`: the same real values, the same rounding and saturation). On x86 ONNX Runtime fuses a
 * convolution with int8 activations only after turning them into uint8 itself, which it does only
 * for a QuantizeLinear read by a single DequantizeLinear; MobileNetV2's block outputs are read
 * twice (next block, residual add), so with int8 they, their convolutions and the adds stayed in
 * float.
 */
const UINT8_OFFSET = 128;

/** A value while the graph is written: its ONNX name, and whether it holds quantized values (a `QuantizeLinear` output) or float. */
interface Value {
  readonly name: string;
  readonly int8: boolean;
}

/**
 * Writes a quantized sepconv network (`quantizeModel`'s result) as a QDQ ONNX model, NCHW, the
 * form ONNX Runtime's quantization tool writes and its graph optimizer fuses into `QLinearConv`
 * (and `QLinearAdd`, `QLinearGlobalAveragePool`…): each int8 step reads `DequantizeLinear` of
 * its int8 inputs, runs the float step of `onnxNetworkModel` — a convolution with its int8
 * per-output-channel weights and int32 bias dequantized — and ends in `QuantizeLinear` with the
 * step's own scale and zero point (asymmetric per tensor, as uint8: see {@link UINT8_OFFSET}). A value is quantized where
 * sepconv's int8 runtime quantizes it: a float value (the input, a float layer's result) when an
 * int8 step first reads it; float steps (softmax) read dequantized values and stay float, and an
 * int8 output is dequantized at the end. Same integers as the sepconv run; ONNX Runtime
 * requantizes with its own float multipliers, so the outputs are close, not identical.
 */
export function onnxQuantizedNetworkModel(model: QuantizedModel, batch: number, name: string): Uint8Array {
  const { plan, steps, params } = compileQuantized(model.spec, model.weights);
  const w = new OnnxGraphWriter(OPSET);
  const values = new Map<number, Value>([[plan.inputs[0]!.slot, { name: NETWORK_INPUT, int8: false }]]);
  // Each value's scale and zero point, written once.
  const written = new Set<number>();
  const quantParams = (slot: number): string[] => {
    const [scale, zeroPoint] = [`v${slot}_scale`, `v${slot}_zp`];
    if (!written.has(slot)) {
      written.add(slot);
      w.constant(scale, [params[slot]!.scale]);
      w.integers(zeroPoint, 'uint8', [params[slot]!.zeroPoint + UINT8_OFFSET], []);
    }
    return [scale, zeroPoint];
  };
  const asInt8 = (slot: number): string => {
    const value = values.get(slot)!;
    if (value.int8) return value.name;
    const quantized = w.node('QuantizeLinear', [value.name, ...quantParams(slot)]);
    values.set(slot, { name: quantized, int8: true });
    return quantized;
  };
  const asFloat = (slot: number): string => {
    const value = values.get(slot)!;
    return value.int8 ? w.node('DequantizeLinear', [value.name, ...quantParams(slot)]) : value.name;
  };
  steps.forEach((entry, index) => {
    const { step } = entry;
    if (entry.mode === 'float') {
      values.set(step.output, { name: writePlanStep(w, plan, batch, index, step.inputs.map(asFloat)), int8: false });
      return;
    }
    // An int8 step: each input through QuantizeLinear (once, where it is float) and a DequantizeLinear of its own.
    const inputs = step.inputs.map((slot) => {
      asInt8(slot);
      return asFloat(slot);
    });
    const result = writePlanStep(w, plan, batch, index, inputs, entry.conv?.weights);
    values.set(step.output, { name: w.node('QuantizeLinear', [result, ...quantParams(step.output)]), int8: true });
  });
  return encodeNetwork(w, plan, batch, name, asFloat(plan.outputs[0]!.slot));
}
