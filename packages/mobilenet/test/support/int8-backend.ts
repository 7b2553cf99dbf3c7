// Where the real-weight quantization tests run their int8 models: the given backend when it
// declares the int8 capabilities a quantized MobileNet needs, else the reference backend. Every
// backend's int8 kernels are bit-exact with the reference's (the conformance suite checks it), so
// the results are the same either way; a fast backend only keeps CI short.
import type { Backend } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';

const NEEDED = ['quantize', 'quantizedConv2d', 'quantizedDepthwiseConv2d', 'quantizedPointwiseConv2d', 'quantizedAdd'] as const;

export function int8Backend(backend: Backend): Backend {
  return NEEDED.every((capability) => typeof backend[capability] === 'function') ? backend : createReferenceBackend();
}
