import { lowerBatchNormalization } from './lower-batch-norm.js';
import { lowerClip, lowerHardSigmoid, lowerHardSwish, lowerMax, lowerMin, lowerRelu, lowerSigmoid, lowerSoftmax } from './lower-activations.js';
import { lowerConcat } from './lower-concat.js';
import { lowerConv } from './lower-conv.js';
import { lowerGemm, lowerMatMul } from './lower-dense.js';
import { lowerAdd, lowerDiv, lowerMul, lowerSub } from './lower-elementwise.js';
import { lowerPad } from './lower-pad.js';
import { lowerConstant, lowerDropout, lowerIdentity } from './lower-passthrough.js';
import { lowerAveragePool, lowerGlobalAveragePool, lowerGlobalMaxPool, lowerMaxPool } from './lower-pool.js';
import { lowerReduceMean } from './lower-reduce-mean.js';
import { lowerFlatten, lowerReshape } from './lower-reshape.js';
import type { NodeContext } from './node-context.js';

/** The ONNX operators (domain `ai.onnx`) the reader lowers. */
export type OnnxOperator =
  | 'Conv'
  | 'BatchNormalization'
  | 'Relu'
  | 'Clip'
  | 'Min'
  | 'Max'
  | 'HardSwish'
  | 'HardSigmoid'
  | 'Sigmoid'
  | 'Add'
  | 'Sub'
  | 'Mul'
  | 'Div'
  | 'GlobalAveragePool'
  | 'GlobalMaxPool'
  | 'AveragePool'
  | 'MaxPool'
  | 'ReduceMean'
  | 'Flatten'
  | 'Reshape'
  | 'Gemm'
  | 'MatMul'
  | 'Concat'
  | 'Pad'
  | 'Identity'
  | 'Dropout'
  | 'Softmax'
  | 'Constant';

/** Turns one node into layers (or constants) of the spec, defining its outputs. */
export type OnnxLowering = (ctx: NodeContext) => void;

/**
 * One lowering per operator; `satisfies` makes an operator added to {@link OnnxOperator}
 * without a row a compile error.
 */
export const ONNX_OPERATORS = {
  Conv: lowerConv,
  BatchNormalization: lowerBatchNormalization,
  Relu: lowerRelu,
  Clip: lowerClip,
  Min: lowerMin,
  Max: lowerMax,
  HardSwish: lowerHardSwish,
  HardSigmoid: lowerHardSigmoid,
  Sigmoid: lowerSigmoid,
  Add: lowerAdd,
  Sub: lowerSub,
  Mul: lowerMul,
  Div: lowerDiv,
  GlobalAveragePool: lowerGlobalAveragePool,
  GlobalMaxPool: lowerGlobalMaxPool,
  AveragePool: lowerAveragePool,
  MaxPool: lowerMaxPool,
  ReduceMean: lowerReduceMean,
  Flatten: lowerFlatten,
  Reshape: lowerReshape,
  Gemm: lowerGemm,
  MatMul: lowerMatMul,
  Concat: lowerConcat,
  Pad: lowerPad,
  Identity: lowerIdentity,
  Dropout: lowerDropout,
  Softmax: lowerSoftmax,
  Constant: lowerConstant,
} satisfies Record<OnnxOperator, OnnxLowering>;

/** Whether the reader lowers `opType` (of ONNX's own domain). */
export function isOnnxOperator(opType: string): opType is OnnxOperator {
  return Object.hasOwn(ONNX_OPERATORS, opType);
}
