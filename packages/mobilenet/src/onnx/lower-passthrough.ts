import type { NodeContext } from './node-context.js';
import type { OnnxConstant } from './onnx-constant.js';

/** `Identity`: its output is its input (an activation or a constant). */
export function lowerIdentity(ctx: NodeContext): void {
  const x = ctx.input(0);
  if (x === undefined) throw ctx.valueError('input is missing');
  ctx.output(x);
}

/** `Dropout` at inference: the identity (its mask output must be unused; `training_mode` must not be true). */
export function lowerDropout(ctx: NodeContext): void {
  ctx.onlyOutputs(1);
  const training = ctx.opset >= 12 ? ctx.constant(2, 'training_mode') : undefined;
  if (training !== undefined && training.values[0] !== 0) throw ctx.unsupported('training_mode true does not run; export the model in eval mode');
  lowerIdentity(ctx);
}

function constantOf(dims: number[], values: number[], float: boolean): OnnxConstant {
  return { dims, dataType: float ? 'float' : 'int64', values: float ? Float32Array.from(values) : Float64Array.from(values) };
}

/** `Constant`: `value` (a tensor), `value_float(s)` or `value_int(s)`, known at load. */
export function lowerConstant(ctx: NodeContext): void {
  const a = ctx.attributes;
  let constant: OnnxConstant | undefined = a.tensor('value');
  const float = a.float('value_float');
  const floats = a.floats('value_floats');
  const int = a.int('value_int');
  const ints = a.ints('value_ints');
  if (constant === undefined && float !== undefined) constant = constantOf([], [float], true);
  if (constant === undefined && floats !== undefined) constant = constantOf([floats.length], floats, true);
  if (constant === undefined && int !== undefined) constant = constantOf([], [int], false);
  if (constant === undefined && ints !== undefined) constant = constantOf([ints.length], ints, false);
  if (constant === undefined) {
    const other = ['sparse_value', 'value_string', 'value_strings'].find((name) => a.has(name));
    throw other === undefined ? ctx.valueError('has no value attribute') : ctx.unsupported(`attribute ${other} does not run; only numeric values`);
  }
  ctx.output({ kind: 'constant', constant });
}
