import { binaryGeometry, type ConvKernelInputs, type SeparableKernelInputs, type Tensor } from '@sepconv/tensor';
import { referenceBinary } from '@sepconv/tensor/reference';
import type { CpuContext } from '../cpu-context.js';
import type { CpuTensor } from '../cpu-tensor.js';
import type { CpuConvVariant, CpuSeparableVariant } from '../variants.js';
import { wasmBinary, wasmBinarySupports } from './wasm-binary.js';

/**
 * `y = activation(y + residual)` in place, over the output a variant without a residual
 * epilogue has just written (bias added, no activation): the wasm binary kernel where a runtime
 * is loaded, the reference loop otherwise. Same float32 sum and activation as the fused epilogue.
 */
function addResidualInPlace(
  ctx: CpuContext,
  op: string,
  y: CpuTensor,
  residual: Tensor,
  activation: ConvKernelInputs<Tensor>['geometry']['activation'],
): void {
  const geometry = binaryGeometry('add', y, residual, { activation });
  const runtime = ctx.runtime;
  if (runtime && wasmBinarySupports(geometry)) {
    wasmBinary(ctx, runtime, { a: y, b: residual, geometry }, y);
    return;
  }
  const data = ctx.hostData(op, 'options.residual', residual);
  referenceBinary(y.view(), data, geometry, y.view());
}

/**
 * Runs a single-step convolution variant into `y`. With `options.residual`, a row whose kernel
 * adds it in its store (`fusesResidual`: the GEMM rows) gets it; any other row (depthwise,
 * direct convolution, JavaScript) runs without the activation and one pass then adds the
 * residual and applies it, so every variant honours the option.
 */
export function runConvVariant(ctx: CpuContext, variant: CpuConvVariant, inputs: ConvKernelInputs<Tensor>, y: CpuTensor): void {
  const { residual, geometry } = inputs;
  if (residual === undefined || variant.fusesResidual) {
    variant.run(ctx, variant, inputs, y);
    return;
  }
  // Refused before any work when it lives where this backend cannot read it.
  ctx.hostData(variant.op, 'options.residual', residual);
  variant.run(ctx, variant, { ...inputs, residual: undefined, geometry: { ...geometry, hasResidual: false, activation: 'linear' } }, y);
  addResidualInPlace(ctx, variant.op, y, residual, geometry.activation);
}

/** {@link runConvVariant} for a separable variant: the residual follows its pointwise step. */
export function runSeparableVariant(ctx: CpuContext, variant: CpuSeparableVariant, inputs: SeparableKernelInputs<Tensor>, y: CpuTensor): void {
  const { residual, geometry } = inputs;
  if (residual === undefined || variant.fusesResidual) {
    variant.run(ctx, variant, inputs, y);
    return;
  }
  ctx.hostData(variant.op, 'options.residual', residual);
  const pointwise = { ...geometry.pointwise, hasResidual: false, activation: 'linear' as const };
  variant.run(ctx, variant, { ...inputs, residual: undefined, geometry: { ...geometry, pointwise } }, y);
  addResidualInPlace(ctx, variant.op, y, residual, geometry.pointwise.activation);
}
