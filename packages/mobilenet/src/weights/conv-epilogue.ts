import type { LayerActivation } from '@sepconv/graph';
import type { ConvActivation } from '@sepconv/tensor';

/**
 * Whether a convolution layer applies `activation` itself (its fused epilogue); any other
 * activation is emitted as a layer after it. Shared by the Keras and graph-model readers.
 */
export function isConvEpilogue(activation: LayerActivation): activation is ConvActivation {
  return activation === 'linear' || activation === 'relu' || activation === 'relu6';
}
