import { formatShape, isHostTensor, nchwToNhwc, nhwcToNchw, ShapeError, UnsupportedError, type Tensor } from '@sepconv/tensor';
import { modelInput, type ModelSpec } from '@sepconv/graph';

/**
 * The transposes at the edges of a model whose spec says `layout: 'nchw'` (read from ONNX
 * for callers who hold NCHW tensors): the input NCHW → NHWC before the first layer, rank-4
 * outputs NHWC → NCHW after the last. Done on the host, where the tensors are when a caller
 * passes them in and when `predictAsync` hands them back: a tensor already on a device would
 * need a read, which `predict` (synchronous) cannot do.
 */
export function inputToNhwc(op: string, spec: ModelSpec, x: Tensor): Tensor {
  if (spec.layout !== 'nchw') return x;
  const [, height, width, channels] = modelInput(spec, op).shape;
  if (x.shape.length !== 4 || x.shape[1] !== channels || x.shape[2] !== height || x.shape[3] !== width) {
    throw new ShapeError(
      op,
      'x',
      `x must be NCHW [batch, ${channels}, ${height}, ${width}] (the model's layout is 'nchw'), got ${formatShape(x.shape)}`,
    );
  }
  if (!isHostTensor(x)) {
    throw new UnsupportedError(
      op,
      'x',
      `the model takes NCHW and transposes it on the host, but x is on '${x.location}': pass a host tensor (tensor(data, shape))`,
    );
  }
  return nchwToNhwc(x);
}

/** The output as the caller's layout has it: rank-4 outputs NCHW for an `'nchw'` model. */
export function outputToCaller(op: string, spec: ModelSpec, output: Tensor): Tensor {
  if (spec.layout !== 'nchw' || output.shape.length !== 4) return output;
  if (!isHostTensor(output)) {
    throw new UnsupportedError(
      op,
      'x',
      `the model returns NCHW, transposed on the host, but its output ${formatShape(output.shape)} is on '${output.location}': use predictAsync`,
    );
  }
  return nhwcToNchw(output);
}
