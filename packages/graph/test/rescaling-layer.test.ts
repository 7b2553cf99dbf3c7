import { ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { layerWeights, modelSpec, rescalingLayer } from '../src/index.js';

describe('rescalingLayer (Keras Rescaling)', () => {
  it('keeps the shape, stores scale and offset as numbers of the spec, and has no weights', () => {
    const layer = rescalingLayer({ inputShape: [1, 4, 4, 3], scale: 1 / 127.5, offset: -1 });
    expect(layer).toEqual({
      type: 'rescaling',
      name: 'rescaling',
      inputShape: [1, 4, 4, 3],
      outputShape: [1, 4, 4, 3],
      scale: 1 / 127.5,
      offset: -1,
    });
    expect(rescalingLayer({ inputShape: [1, 3], scale: 2 }).offset).toBe(0);
    expect(layerWeights(layer)).toEqual([]);
    const spec = modelSpec({ name: 'm', inputShape: [1, 4, 4, 3], layers: [layer] });
    expect(spec.layers[0]!.inputs).toEqual(['input']);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it('rejects a scale or offset that is not a finite number, naming the option', () => {
    expect(() => rescalingLayer({ inputShape: [1, 3], scale: Number.NaN })).toThrow(ValueError);
    expect(() => rescalingLayer({ inputShape: [1, 3], scale: Number.NaN })).toThrow(/rescalingLayer: options.scale must be a finite number, got NaN/);
    expect(() => rescalingLayer({ inputShape: [1, 3], scale: 1, offset: Infinity })).toThrow(
      /rescalingLayer: options.offset must be a finite number/,
    );
    expect(() => rescalingLayer({ inputShape: [1, 3], scale: '2' as unknown as number })).toThrow(/options.scale/);
    expect(() => rescalingLayer({ inputShape: [1, 3], scale: 1, inputs: ['a', 'b'] })).toThrow(
      /rescalingLayer: options.inputs must be one tensor name/,
    );
  });
});
