import { SepconvError } from '@sepconv/tensor';

/**
 * A layer builder's error (named after the builder, e.g. `conv2dLayer: options.strides …`)
 * re-thrown as the same class by the reader `op`, naming the part of the file it came from:
 * `loadGraphModel: node 'conv0' (Conv2D): conv2dLayer: options.strides …`. The reader's own
 * errors, and anything that is not a SepconvError, pass through unchanged.
 * @param argument the file part as a machine-readable name (the node or layer name).
 * @param where the file part as the message names it.
 */
export function errorAt(error: unknown, op: string, argument: string, where: string): unknown {
  if (!(error instanceof SepconvError) || error.op === op) return error;
  const Class = error.constructor as new (op: string, argument: string, message: string) => SepconvError;
  return new Class(op, argument, `${where}: ${error.message}`);
}
