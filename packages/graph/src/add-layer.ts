import { checkLayerOptions } from './layer-checks.js';
import { elementwiseLayer, type ElementwiseLayerOptions, type ElementwiseLayer } from './elementwise-layer.js';

/**
 * Element-wise sum with broadcasting: the residual connection of an inverted residual block
 * (two equally shaped inputs), or an offset by a constant. An {@link ElementwiseLayer} of type
 * `'add'`.
 */
export type AddLayer = ElementwiseLayer<'add'>;

/** Options of {@link addLayer}: those of `elementwiseLayer` without `op`. */
export type AddLayerOptions = Omit<ElementwiseLayerOptions<'add'>, 'op'>;

/**
 * Describes an add (`elementwiseLayer({ op: 'add', … })`).
 * @throws ShapeError / ValueError naming `addLayer` and the option at fault.
 */
export function addLayer(options: AddLayerOptions): AddLayer {
  checkLayerOptions('addLayer', options);
  return elementwiseLayer({ ...options, op: 'add' });
}
