import { convGeometry, outputShape, type ConvActivation, type Conv2dGeometry } from '@sepconv/tensor';

/**
 * What one benchmark row runs. `separableConv2d` is the fused call of a backend (one
 * `separableConv2d`); `depthwiseThenPointwise` is the same work as two calls with the
 * intermediate tensor materialised, which is what the fused kernel is measured against.
 */
export type LayerOp = 'conv2d' | 'depthwiseConv2d' | 'pointwiseConv2d' | 'separableConv2d' | 'depthwiseThenPointwise';

/**
 * One layer shape to benchmark, as plain data. Activations are NHWC; filters use sepconv's
 * layouts (`[KH, KW, Cin, Cout]`, depthwise `[KH, KW, C, 1]`, pointwise `[Cin, Cout]`).
 * Every layer carries a bias and an activation, as MobileNet's layers do once batch norm is
 * folded into the convolution, so engines that fuse epilogues are measured doing so.
 */
export interface LayerCase {
  /** Stable identifier used in JSON and on the command line, e.g. `dw3x3s1-56x56x128`. */
  readonly id: string;
  /** What a reader sees in the table, e.g. `depthwise 3×3 s1 56×56×128`. */
  readonly title: string;
  readonly op: LayerOp;
  /** NHWC `[batch, height, width, channels]`. */
  readonly inputShape: readonly [number, number, number, number];
  /** Depthwise / standard kernel size (square); 1 for pointwise. */
  readonly kernelSize: number;
  /** Depthwise / standard stride (both axes). */
  readonly strides: number;
  readonly padding: 'same' | 'valid';
  /** Output channels of conv2d, pointwise and the separable pair's pointwise step; for depthwise the input channels. */
  readonly outChannels: number;
  /** Epilogue after every convolution step (bias is always added); one a convolution fuses. */
  readonly activation: ConvActivation;
  /**
   * Cases sharing a group compare with one another: `depthwiseConv2d` + `pointwiseConv2d`
   * against `conv2d` in one group gives the measured separable/standard time ratio.
   */
  readonly group?: string;
}

/**
 * The resolved convolution steps of a case: one geometry, or two for the separable ops
 * (depthwise then pointwise). Computed with `convGeometry`, the code the kernels use.
 */
export function caseSteps(layerCase: LayerCase): Conv2dGeometry[] {
  const common = {
    inputShape: layerCase.inputShape,
    padding: layerCase.padding,
    strides: layerCase.strides,
    hasBias: true,
    activation: layerCase.activation,
  };
  const depthwise = (): Conv2dGeometry =>
    convGeometry(
      { kind: 'depthwiseConv2d', kernelHeight: layerCase.kernelSize, kernelWidth: layerCase.kernelSize, channelMultiplier: 1, ...common },
      layerCase.id,
    );
  switch (layerCase.op) {
    case 'conv2d':
      return [
        convGeometry(
          { kind: 'conv2d', kernelHeight: layerCase.kernelSize, kernelWidth: layerCase.kernelSize, outChannels: layerCase.outChannels, ...common },
          layerCase.id,
        ),
      ];
    case 'depthwiseConv2d':
      return [depthwise()];
    case 'pointwiseConv2d':
      return [
        convGeometry({ kind: 'pointwiseConv2d', kernelHeight: 1, kernelWidth: 1, outChannels: layerCase.outChannels, ...common }, layerCase.id),
      ];
    case 'separableConv2d':
    case 'depthwiseThenPointwise': {
      const first = depthwise();
      const second = convGeometry(
        {
          kind: 'pointwiseConv2d',
          inputShape: outputShape(first),
          kernelHeight: 1,
          kernelWidth: 1,
          outChannels: layerCase.outChannels,
          hasBias: true,
          activation: layerCase.activation,
        },
        layerCase.id,
      );
      return [first, second];
    }
  }
}

/** NHWC output shape of a case (the last step's output). */
export function caseOutputShape(layerCase: LayerCase): [number, number, number, number] {
  const steps = caseSteps(layerCase);
  return outputShape(steps[steps.length - 1]!);
}
