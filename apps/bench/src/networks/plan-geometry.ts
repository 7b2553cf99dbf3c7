import { convGeometry, type Conv2dGeometry } from '@sepconv/tensor';
import type { ConvStep, ModelPlan, SeparableStep } from '@sepconv/mobilenet';

/**
 * The resolved geometry of a plan's convolution (or of a separable step's depthwise half),
 * with the batch a run uses: what the peers' models are written from, so `'same'` means the
 * same padding for every engine.
 */
export function stepGeometry(plan: ModelPlan, step: ConvStep | SeparableStep, batch: number): Conv2dGeometry {
  const [, height, width, channels] = plan.slots[step.inputs[0]!]!.physical as readonly [number, number, number, number];
  const filter = step.kind === 'conv' ? step.filter : step.depthwiseFilter;
  const depthwise = step.kind === 'separable' || step.op === 'depthwiseConv2d';
  const pointwise = step.kind === 'conv' && step.op === 'pointwiseConv2d';
  return convGeometry({
    kind: depthwise ? 'depthwiseConv2d' : pointwise ? 'pointwiseConv2d' : 'conv2d',
    inputShape: [batch, height, width, channels],
    kernelHeight: pointwise ? 1 : filter.shape[0]!,
    kernelWidth: pointwise ? 1 : filter.shape[1]!,
    channelMultiplier: depthwise ? filter.shape[3]! : undefined,
    outChannels: depthwise ? undefined : filter.shape[filter.shape.length - 1]!,
    strides: [step.strides[0], step.strides[1]],
    dilations: [step.dilations[0], step.dilations[1]],
    padding: step.padding,
    hasBias: true,
    activation: step.kind === 'conv' ? step.activation : step.depthwiseActivation,
  });
}
