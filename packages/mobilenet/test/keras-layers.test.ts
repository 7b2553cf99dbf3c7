// The Keras reader's class table, row by row, on model topologies written here in both
// formats a TensorFlow.js layers model.json holds: Keras 2 / tfjs-layers (`inbound_nodes:
// [[["layer", 0, 0, {}]]]`, `batch_input_shape`) and Keras 3 (`{ module, class_name, config,
// registered_name }`, `__keras_tensor__` inbound nodes, `batch_shape`, dtype policies as
// objects). Checked at the spec level: layer kinds, shapes and options.
import type { GraphLayer, LayerSpec } from '@sepconv/graph';
import { UnsupportedError, ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { KERAS_LAYERS } from '../src/weights/keras-layers.js';
import { kerasModelSpec, type KerasModelSpecOptions } from '../src/weights/keras-model-spec.js';
import { loadLayersModel } from '../src/weights/load-layers-model.js';

type Format = 2 | 3;

/** A layer of a fixture: its class, name, config and the layers it reads. */
interface Fixture {
  cls: string;
  name: string;
  config?: Record<string, unknown>;
  from?: string[];
}

const DTYPE_POLICY = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };

function inbound(format: Format, from: string[]): unknown[] {
  if (from.length === 0) return [];
  if (format === 2) return [from.map((name) => [name, 0, 0, {}])];
  const tensor = (name: string) => ({ class_name: '__keras_tensor__', config: { shape: [null], dtype: 'float32', keras_history: [name, 0, 0] } });
  return [{ args: from.length === 1 ? [tensor(from[0]!)] : [from.map(tensor)], kwargs: {} }];
}

/** A functional model topology in the given format; inputs are `{ name: [h, w, c] }` (null for open sizes). */
function functional(format: Format, inputs: Record<string, (number | null)[]>, layers: Fixture[], outputs?: string[]) {
  const inputLayers = Object.entries(inputs).map(([name, shape]) => {
    const shapeKey = format === 2 ? 'batch_input_shape' : 'batch_shape';
    const config = { name, [shapeKey]: [null, ...shape], dtype: 'float32', sparse: false };
    return format === 2
      ? { name, class_name: 'InputLayer', config, inbound_nodes: [] }
      : { module: 'keras.layers', class_name: 'InputLayer', config, registered_name: null, name, inbound_nodes: [] };
  });
  const rest = layers.map(({ cls, name, config = {}, from = [] }) =>
    format === 2
      ? { name, class_name: cls, config: { name, trainable: true, ...config }, inbound_nodes: inbound(2, from) }
      : {
          module: 'keras.layers',
          class_name: cls,
          config: { name, trainable: true, dtype: DTYPE_POLICY, ...config },
          registered_name: null,
          build_config: { input_shape: [null] },
          name,
          inbound_nodes: inbound(3, from),
        },
  );
  const endpoint = (names: string[]) => (format === 3 && names.length === 1 ? [names[0], 0, 0] : names.map((n) => [n, 0, 0]));
  const config = {
    name: 'model',
    layers: [...inputLayers, ...rest],
    input_layers: endpoint(Object.keys(inputs)),
    output_layers: endpoint(outputs ?? [layers[layers.length - 1]!.name]),
  };
  return format === 2
    ? { keras_version: '2.15.0', backend: 'tensorflow', model_config: { class_name: 'Functional', config } }
    : { keras_version: '3.6.0', model_config: { module: 'keras', class_name: 'Functional', config, registered_name: 'Functional' } };
}

/** One layer `cls` on an input of `shape`, read into a spec; its spec layers by name. */
function one(format: Format, cls: string, config: Record<string, unknown>, shape: (number | null)[] = [8, 8, 4], options?: KerasModelSpecOptions) {
  const spec = kerasModelSpec(functional(format, { in: shape }, [{ cls, name: 'l', config, from: ['in'] }]), options);
  const layer = (name = 'l'): GraphLayer =>
    spec.layers.find((l) => l.name === name) ?? expect.fail(`no layer '${name}' in ${spec.layers.map((l) => l.name).join(', ')}`);
  return { spec, layer };
}

function pick<T extends LayerSpec['type']>(layer: GraphLayer, type: T): Extract<GraphLayer, { type: T }> {
  expect(layer.type).toBe(type);
  return layer as Extract<GraphLayer, { type: T }>;
}

describe.each([2, 3] as const)('KERAS_LAYERS rows, Keras %i format', (format) => {
  it('InputLayer: the model input, batch 1 by default; an open size takes options.resolution', () => {
    expect(one(format, 'ReLU', {}).spec.inputs).toEqual([{ name: 'in', shape: [1, 8, 8, 4] }]);
    expect(() => one(format, 'ReLU', {}, [null, null, 3])).toThrow(/input 'in' has an open size .*: give its height and width in options.resolution/);
    expect(one(format, 'ReLU', {}, [null, null, 3], { resolution: [96, 128], batch: 2 }).spec.inputs[0]!.shape).toEqual([2, 96, 128, 3]);
    expect(() => one(format, 'ReLU', {}, [8, 8, 4], { resolution: 16 })).toThrow(ValueError);
  });

  it('Conv2D: k×k, 1×1 stride 1 as pointwise; an activation no kernel fuses becomes a layer named after the Keras layer', () => {
    const conv = pick(
      one(format, 'Conv2D', { filters: 6, kernel_size: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu6', use_bias: true }).layer(),
      'conv2d',
    );
    expect(conv).toMatchObject({ outChannels: 6, strides: [2, 2], padding: 'same', activation: 'relu6', useBias: true, outputShape: [1, 4, 4, 6] });
    expect(pick(one(format, 'Conv2D', { filters: 6, kernel_size: 1, use_bias: false }).layer(), 'pointwiseConv2d').useBias).toBe(false);
    const sigmoid = one(format, 'Conv2D', {
      filters: 2,
      kernel_size: [1, 1],
      activation: format === 3 ? { module: 'keras.activations', class_name: 'function', config: 'sigmoid', registered_name: 'function' } : 'sigmoid',
    });
    expect(sigmoid.spec.layers.map((l) => [l.type, l.name])).toEqual([
      ['pointwiseConv2d', 'l/pointwiseConv2d'],
      ['activation', 'l'],
    ]);
    expect(sigmoid.spec.outputs).toEqual(['l']);
  });

  it('DepthwiseConv2D with a depth multiplier, and SeparableConv2D', () => {
    expect(
      pick(
        one(format, 'DepthwiseConv2D', { kernel_size: [3, 3], depth_multiplier: 2, padding: 'valid', use_bias: false }).layer(),
        'depthwiseConv2d',
      ),
    ).toMatchObject({ channelMultiplier: 2, outputShape: [1, 6, 6, 8] });
    expect(
      pick(one(format, 'SeparableConv2D', { filters: 5, kernel_size: 3, padding: 'same', activation: 'relu' }).layer(), 'separableConv2d'),
    ).toMatchObject({ outChannels: 5, activation: 'relu', outputShape: [1, 8, 8, 5] });
  });

  it('BatchNormalization on the channel axis (-1 or 3, or [3]); another axis is refused', () => {
    expect(
      pick(one(format, 'BatchNormalization', { axis: format === 3 ? [3] : -1, epsilon: 0.001, center: true, scale: false }).layer(), 'batchNorm'),
    ).toMatchObject({ epsilon: 0.001, scale: false });
    expect(() => one(format, 'BatchNormalization', { axis: 1 })).toThrow(/'BatchNormalization' \(layer 'l': batch norm over axis 1/);
  });

  it('Dense (with softmax), Dropout, Flatten, Reshape', () => {
    const spec = kerasModelSpec(
      functional(format, { in: [2, 2, 3] }, [
        { cls: 'Flatten', name: 'flat', from: ['in'] },
        { cls: 'Dropout', name: 'drop', config: { rate: 0.2 }, from: ['flat'] },
        { cls: 'Reshape', name: 'shape', config: { target_shape: [-1, 4] }, from: ['drop'] },
        { cls: 'Dense', name: 'fc', config: { units: 3, activation: 'softmax' }, from: ['shape'] },
      ]),
    );
    expect(spec.layers.map((l) => [l.type, l.outputShape])).toEqual([
      ['reshape', [1, 12]],
      ['dropout', [1, 12]],
      ['reshape', [1, 3, 4]],
      ['dense', [1, 3, 3]],
    ]);
    expect(pick(spec.layers[3]!, 'dense').activation).toBe('softmax');
  });

  it('ReLU (max_value 6 or none, negative_slope 0); a leaky ReLU is refused', () => {
    expect(pick(one(format, 'ReLU', { max_value: 6, negative_slope: 0, threshold: 0 }).layer(), 'activation').activation).toBe('relu6');
    expect(pick(one(format, 'ReLU', { max_value: null }).layer(), 'activation').activation).toBe('relu');
    expect(() => one(format, 'ReLU', { negative_slope: 0.1 })).toThrow(/leaky or thresholded ReLU/);
  });

  it('Activation: relu, relu6, sigmoid, hard_swish / hard_silu, softmax, linear; hard_sigmoid as the format defines it', () => {
    for (const [name, expected] of [
      ['relu', 'relu'],
      ['relu6', 'relu6'],
      ['sigmoid', 'sigmoid'],
      ['hard_swish', 'hardSwish'],
      ['hard_silu', 'hardSwish'],
      ['softmax', 'softmax'],
      ['linear', 'linear'],
    ] as const) {
      expect(pick(one(format, 'Activation', { activation: name }).layer(), 'activation').activation, name).toBe(expected);
    }
    const hard = one(format, 'Activation', { activation: 'hard_sigmoid' }).spec.layers;
    // Keras 2's hard_sigmoid is clip(0.2x + 0.5, 0, 1) = relu6(1.2x + 3) / 6; Keras 3's is relu6(x + 3) / 6.
    expect(hard.map((l) => (l.type === 'rescaling' ? l.scale : l.type === 'activation' ? l.activation : l.type))).toEqual(
      format === 2 ? [1.2, 'hardSigmoid'] : ['hardSigmoid'],
    );
    expect(() => one(format, 'Activation', { activation: 'tanh' })).toThrow(/activation 'tanh' is not one sepconv runs/);
  });

  it('Rescaling: the rescaling kind with its scale and offset', () => {
    expect(pick(one(format, 'Rescaling', { scale: 1 / 127.5, offset: -1 }).layer(), 'rescaling')).toMatchObject({ scale: 1 / 127.5, offset: -1 });
  });

  it('ZeroPadding2D: taken into a following valid convolution that alone reads it; otherwise a pad layer', () => {
    const folded = kerasModelSpec(
      functional(format, { in: [8, 8, 4] }, [
        {
          cls: 'ZeroPadding2D',
          name: 'pad',
          config: {
            padding: [
              [0, 1],
              [0, 1],
            ],
          },
          from: ['in'],
        },
        { cls: 'DepthwiseConv2D', name: 'dw', config: { kernel_size: 3, strides: 2, padding: 'valid', use_bias: false }, from: ['pad'] },
      ]),
    );
    expect(folded.layers.map((l) => l.name)).toEqual(['dw']);
    expect(pick(folded.layers[0]!, 'depthwiseConv2d').padding).toEqual({ top: 0, bottom: 1, left: 0, right: 1 });
    const pooled = kerasModelSpec(
      functional(format, { in: [8, 8, 4] }, [
        { cls: 'ZeroPadding2D', name: 'pad', config: { padding: 1 }, from: ['in'] },
        { cls: 'MaxPooling2D', name: 'pool', config: { pool_size: 3, strides: 2, padding: 'valid' }, from: ['pad'] },
      ]),
    );
    // Max pooling over zeros differs from pooling that skips padded cells: the pad stays.
    expect(pooled.layers.map((l) => [l.type, l.outputShape])).toEqual([
      ['pad', [1, 10, 10, 4]],
      ['pool', [1, 4, 4, 4]],
    ]);
  });

  it('GlobalAveragePooling2D (keepdims both ways), GlobalMaxPooling2D, AveragePooling2D, MaxPooling2D', () => {
    expect(one(format, 'GlobalAveragePooling2D', { keepdims: true }).layer().outputShape).toEqual([1, 1, 1, 4]);
    expect(pick(one(format, 'GlobalAveragePooling2D', {}).layer(), 'pool')).toMatchObject({ mode: 'avg', global: true, outputShape: [1, 4] });
    expect(pick(one(format, 'GlobalMaxPooling2D', { data_format: 'channels_last' }).layer(), 'pool')).toMatchObject({ mode: 'max', global: true });
    expect(pick(one(format, 'AveragePooling2D', { pool_size: [2, 2], strides: null, padding: 'valid' }).layer(), 'pool')).toMatchObject({
      mode: 'avg',
      strides: [2, 2],
      outputShape: [1, 4, 4, 4],
    });
    expect(pick(one(format, 'MaxPooling2D', { pool_size: 3, strides: 1, padding: 'same' }).layer(), 'pool')).toMatchObject({
      mode: 'max',
      padding: 'same',
      outputShape: [1, 8, 8, 4],
    });
    expect(() => one(format, 'GlobalAveragePooling2D', { data_format: 'channels_first' })).toThrow(/data_format 'channels_first'/);
  });

  it('Add and Multiply (two or more inputs, broadcasting as SE), Subtract, Concatenate', () => {
    const spec = kerasModelSpec(
      functional(format, { a: [4, 4, 3], b: [4, 4, 3], gate: [1, 1, 3] }, [
        { cls: 'Add', name: 'sum', from: ['a', 'b', 'a'] },
        { cls: 'Multiply', name: 'scaled', from: ['sum', 'gate'] },
        { cls: 'Subtract', name: 'diff', from: ['scaled', 'b'] },
        { cls: 'Concatenate', name: 'cat', config: { axis: -1 }, from: ['diff', 'a'] },
      ]),
    );
    expect(spec.inputs.map((i) => i.name)).toEqual(['a', 'b', 'gate']);
    expect(spec.layers.map((l) => [l.type, l.name, l.inputs])).toEqual([
      ['add', 'sum/1', ['a', 'b']],
      ['add', 'sum', ['sum/1', 'a']],
      ['mul', 'scaled', ['sum', 'gate']],
      ['sub', 'diff', ['scaled', 'b']],
      ['concat', 'cat', ['diff', 'a']],
    ]);
    expect(spec.layers[4]!.outputShape).toEqual([1, 4, 4, 6]);
  });

  it('UpSampling2D: bilinear is a resize (pixel centres as TF2 Keras and Keras 3); nearest is refused', () => {
    expect(pick(one(format, 'UpSampling2D', { size: [2, 3], interpolation: 'bilinear' }).layer(), 'resizeBilinear')).toMatchObject({
      size: [16, 24],
      alignCorners: false,
      halfPixelCenters: true,
    });
    expect(() => one(format, 'UpSampling2D', { size: 2 })).toThrow(/interpolation 'nearest'; only 'bilinear' runs/);
  });

  it('a functional model of several inputs and outputs keeps them in the order of input_layers / output_layers', () => {
    const spec = kerasModelSpec(
      functional(
        format,
        { image: [8, 8, 3], mask: [8, 8, 1] },
        [
          { cls: 'Conv2D', name: 'stem', config: { filters: 4, kernel_size: 3, padding: 'same' }, from: ['image'] },
          { cls: 'Concatenate', name: 'joined', from: ['stem', 'mask'] },
          { cls: 'Conv2D', name: 'seg', config: { filters: 2, kernel_size: 1, activation: 'softmax' }, from: ['joined'] },
          { cls: 'GlobalAveragePooling2D', name: 'gap', from: ['stem'] },
          { cls: 'Dense', name: 'cls', config: { units: 5, activation: 'softmax' }, from: ['gap'] },
        ],
        ['cls', 'seg'],
      ),
    );
    expect(spec.inputs.map((i) => [i.name, i.shape])).toEqual([
      ['image', [1, 8, 8, 3]],
      ['mask', [1, 8, 8, 1]],
    ]);
    expect(spec.outputs).toEqual(['cls', 'seg']);
    expect(spec.layers.find((l) => l.name === 'seg')).toMatchObject({ type: 'activation', activation: 'softmax', inputs: ['seg/pointwiseConv2d'] });
  });

  it('lists every unsupported layer in one error, grouped by class, with layer names', () => {
    let error: unknown;
    try {
      kerasModelSpec(
        functional(
          format,
          { in: [8, 8, 3] },
          [
            { cls: 'LSTM', name: 'lstm_1', from: ['in'] },
            { cls: 'Conv2D', name: 'c', config: { filters: 2, kernel_size: 1, activation: 'tanh' }, from: ['in'] },
            { cls: 'LSTM', name: 'lstm_2', from: ['in'] },
            { cls: 'Lambda', name: 'fn', from: ['in'] },
            { cls: 'ReLU', name: 'ok', from: ['in'] },
          ],
          ['lstm_1', 'c', 'lstm_2', 'fn', 'ok'],
        ),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as Error).message).toMatch(
      /^kerasModelSpec: 4 layers do not run: 'LSTM' \(2 layers 'lstm_1', 'lstm_2'\); 'Conv2D' \(layer 'c': activation 'tanh' is not one sepconv runs .*\); 'Lambda' \(layer 'fn'\)$/,
    );
  });
});

describe('Sequential models and format details', () => {
  it('Keras 2 Sequential: the first layer carries batch_input_shape; the input is `<layer>_input`', () => {
    const topology = {
      class_name: 'Sequential',
      config: {
        name: 'seq',
        layers: [
          {
            class_name: 'Conv2D',
            config: { name: 'c', batch_input_shape: [null, 6, 6, 3], filters: 4, kernel_size: [3, 3], padding: 'valid', activation: 'relu' },
          },
          { class_name: 'Flatten', config: { name: 'f' } },
          { class_name: 'Dense', config: { name: 'd', units: 2 } },
        ],
      },
    };
    const spec = kerasModelSpec(topology);
    expect(spec.inputs).toEqual([{ name: 'c_input', shape: [1, 6, 6, 3] }]);
    expect(spec.layers.map((l) => [l.name, l.inputs, l.outputShape])).toEqual([
      ['c', ['c_input'], [1, 4, 4, 4]],
      ['f', ['c'], [1, 64]],
      ['d', ['f'], [1, 2]],
    ]);
  });

  it('Keras 3 Sequential: an InputLayer with batch_shape first', () => {
    const layer = (class_name: string, config: Record<string, unknown>) => ({
      module: 'keras.layers',
      class_name,
      config: { dtype: DTYPE_POLICY, ...config },
      registered_name: null,
    });
    const topology = {
      keras_version: '3.6.0',
      model_config: {
        module: 'keras',
        class_name: 'Sequential',
        config: {
          name: 'seq',
          layers: [
            layer('InputLayer', { name: 'x', batch_shape: [null, null, null, 3] }),
            layer('Rescaling', { name: 'r', scale: 0.5, offset: 0 }),
            layer('GlobalMaxPooling2D', { name: 'g', keepdims: false }),
          ],
        },
      },
    };
    const spec = kerasModelSpec(topology, { resolution: 32 });
    expect(spec.inputs).toEqual([{ name: 'x', shape: [1, 32, 32, 3] }]);
    expect(spec.layers.map((l) => l.type)).toEqual(['rescaling', 'pool']);
  });

  it('tfjs-layers writes bilinear UpSampling2D with the legacy sampling positions (no half-pixel centres), as it runs it', () => {
    const topology = {
      ...functional(2, { in: [4, 4, 1] }, [{ cls: 'UpSampling2D', name: 'up', config: { size: [2, 2], interpolation: 'bilinear' }, from: ['in'] }]),
      keras_version: 'tfjs-layers 4.22.0',
    };
    expect(kerasModelSpec(topology).layers[0]).toMatchObject({ type: 'resizeBilinear', halfPixelCenters: false, alignCorners: false });
  });

  it('a shared layer (called twice) is refused, naming it', () => {
    const topology = functional(2, { in: [4, 4, 1] }, [{ cls: 'ReLU', name: 'twice', from: ['in'] }]);
    const layers = (topology as { model_config: { config: { layers: { inbound_nodes: unknown[] }[] } } }).model_config.config.layers;
    layers[1]!.inbound_nodes.push([['in', 0, 0, {}]]);
    expect(() => kerasModelSpec(topology)).toThrow(/'ReLU' \(layer 'twice': the layer is called 2 times \(shared layers do not run\)\)/);
  });

  it('loadLayersModel gives a conv whose activation is a layer of its own the weights the file stores under the Keras name', () => {
    const topology = functional(3, { in: [2, 2, 1] }, [
      { cls: 'Conv2D', name: 'c', config: { filters: 1, kernel_size: 1, activation: 'sigmoid' }, from: ['in'] },
    ]);
    const manifest = [
      {
        paths: ['w.bin'],
        weights: [
          { name: 'c/kernel', shape: [1, 1, 1, 1], dtype: 'float32' },
          { name: 'c/bias', shape: [1], dtype: 'float32' },
        ],
      },
    ];
    const { spec, weights } = loadLayersModel({ modelTopology: topology, weightsManifest: manifest }, new Float32Array([2, 0.5]));
    expect(spec.layers.map((l) => l.name)).toEqual(['c/pointwiseConv2d', 'c']);
    expect([...weights.keys()]).toEqual(['c/pointwiseConv2d/kernel', 'c/pointwiseConv2d/bias']);
  });

  it('every row is a lowering, and no prototype name is a class', () => {
    expect(Object.keys(KERAS_LAYERS)).toEqual(expect.arrayContaining(['Concatenate', 'Rescaling', 'UpSampling2D', 'InputLayer']));
    expect(() => one(2, 'toString', {})).toThrow(/'toString' \(layer 'l'\)/);
  });
});
