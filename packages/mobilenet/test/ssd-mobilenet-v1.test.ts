// SSD MobileNetV1 as a spec (the TF Object Detection API's layout) and face-api's face detector
// read onto it: shapes, anchors and the weight mapping, without running the network.
import { modelOutputShape, modelWeights, tensorShapes } from '@sepconv/graph';
import { HostTensor, ShapeError, ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { SSD_FEATURE_MAPS, ssdMobileNetV1 } from '../src/spec/ssd-mobilenet-v1.js';
import { mobilenetV1 } from '../src/spec/mobilenet-v1.js';
import { readWeights } from '../src/weights/read-weights.js';
import { ssdMobileNetV1FaceDetector } from '../src/weights/ssd-mobilenet-v1-face-detector.js';
import { faceApiSsdMobileNetV1 } from './support/real-models.js';

const gridSizes = (spec: ReturnType<typeof ssdMobileNetV1>): number[] =>
  SSD_FEATURE_MAPS.map((_, level) => modelOutputShape(spec, `box_encodings_${level}`)[1]!);

describe('ssdMobileNetV1', () => {
  it("at 300 has the TF Object Detection API's 19, 10, 5, 3, 2, 1 grids and 1917 anchors ('same' strided padding)", () => {
    const spec = ssdMobileNetV1();
    expect(gridSizes(spec)).toEqual([19, 10, 5, 3, 2, 1]);
    const anchors = SSD_FEATURE_MAPS.reduce((sum, _, level) => {
      const [, h, w, c] = modelOutputShape(spec, `box_encodings_${level}`);
      return sum + h! * w! * (c! / 4);
    }, 0);
    expect(anchors).toBe(1917);
    expect(modelOutputShape(spec, 'class_logits_0')).toEqual([1, 19, 19, 3 * 91]);
    expect(modelOutputShape(spec, 'class_logits_5')).toEqual([1, 1, 1, 6 * 91]);
    // Keras's padding would shrink block 4's 75 to 37 and the first grid to 18.
    expect(modelOutputShape(mobilenetV1({ resolution: 300, includeTop: false }))[1]).toBe(9);
    expect(modelOutputShape(mobilenetV1({ resolution: 300, includeTop: false, stridedPadding: 'same' }))[1]).toBe(10);
    expect(() => mobilenetV1({ stridedPadding: 'valid' as 'same' })).toThrow(
      /mobilenetV1: options.stridedPadding must be one of 'keras', 'same', got 'valid'/,
    );
  });

  it('lists twelve outputs, box encodings then class logits, each a 1×1 conv with bias on its feature map', () => {
    const spec = ssdMobileNetV1({ resolution: 512, classes: 3 });
    expect(spec.outputs).toEqual([0, 1, 2, 3, 4, 5].map((l) => `box_encodings_${l}`).concat([0, 1, 2, 3, 4, 5].map((l) => `class_logits_${l}`)));
    expect(gridSizes(spec)).toEqual([32, 16, 8, 4, 2, 1]);
    for (const [level, feature] of SSD_FEATURE_MAPS.entries()) {
      for (const head of ['box_encodings', 'class_logits']) {
        const layer = spec.layers.find((l) => l.name === `${head}_${level}`)!;
        expect(layer).toMatchObject({ type: 'pointwiseConv2d', inputs: [feature], useBias: true, activation: 'linear' });
      }
    }
    const shapes = tensorShapes(spec);
    expect(['extra_conv_0', 'extra_conv_1', 'extra_conv_3', 'extra_conv_7'].map((n) => shapes.get(n))).toEqual([
      [1, 16, 16, 256],
      [1, 8, 8, 512],
      [1, 4, 4, 256],
      [1, 1, 1, 128],
    ]);
  });

  it('takes anchors per location and refuses bad options by name', () => {
    expect(modelOutputShape(ssdMobileNetV1({ anchorsPerLocation: [1, 2, 3, 4, 5, 6], classes: 2 }), 'class_logits_5')).toEqual([1, 1, 1, 12]);
    expect(() => ssdMobileNetV1({ anchorsPerLocation: [3, 6] })).toThrow(/ssdMobileNetV1: options.anchorsPerLocation must be 6 integers >= 1/);
    expect(() => ssdMobileNetV1({ classes: 0 })).toThrow(ValueError);
    expect(() => ssdMobileNetV1({ resolution: 1.5 })).toThrow(/options.resolution must be an integer/);
  });
});

describe("ssdMobileNetV1FaceDetector reads face-api's ssd_mobilenetv1_model", () => {
  const files = faceApiSsdMobileNetV1();
  const source = readWeights(files.manifest, files.weightData);

  it("at the file's 512 with 3 anchors then 6 per location, 3 classes, and its 5118 anchors", () => {
    const detector = ssdMobileNetV1FaceDetector(source);
    expect(detector.spec.inputs).toEqual([{ name: 'input_1', shape: [1, 512, 512, 3] }]);
    expect(modelOutputShape(detector.spec, 'box_encodings_0')).toEqual([1, 32, 32, 12]);
    expect(modelOutputShape(detector.spec, 'class_logits_1')).toEqual([1, 16, 16, 18]);
    expect(detector.anchors.shape).toEqual([5118, 4]);
    expect(Array.from(detector.anchors.data.slice(0, 4))).toEqual(Array.from(source.get('Output/extra_dim')!.data.slice(0, 4)));
    expect(detector.scoreClass).toBe(1);
  });

  it('folds every pointwise and extra conv batch norm the converter folded, keeps the depthwise ones, maps every trained weight', () => {
    const { spec, weights } = ssdMobileNetV1FaceDetector(source);
    expect(spec.layers.filter((l) => l.type === 'batchNorm').map((l) => l.name)).toEqual(Array.from({ length: 13 }, (_, i) => `conv_dw_${i + 1}_bn`));
    expect(spec.layers.find((l) => l.name === 'extra_conv_0_relu')!.inputs).toEqual(['extra_conv_0']);
    expect(weights.get('extra_conv_1/kernel')?.shape).toEqual([3, 3, 256, 512]);
    expect(weights.get('extra_conv_1/bias')).toBe(source.get('Prediction/Conv2d_1_pointwise/convolution_bn_offset'));
    expect(weights.get('class_logits_5/bias')).toBe(source.get('Prediction/BoxPredictor_5/ClassPredictor/biases'));
    // 14 backbone convs + 13 × 4 depthwise batch norm + 13 pointwise biases + 8 × 2 extra + 12 × 2 heads.
    expect(weights.size).toBe(27 + 52 + 14 + 16 + 24);
  });

  it('holds exactly the weights the spec needs, each of its shape (a pointwise kernel may keep its 1×1)', () => {
    const { spec, weights } = ssdMobileNetV1FaceDetector(source);
    const needed = modelWeights(spec);
    expect(new Set(weights.keys())).toEqual(new Set(needed.map((w) => w.key)));
    for (const { key, shape } of needed) {
      const actual = weights.get(key)!.shape;
      expect(actual.length === 4 && shape.length === 2 ? actual.slice(2) : actual, key).toEqual(shape);
    }
  });

  it('names the weight that is missing, left over, or anchors that do not fit the outputs', () => {
    const without = (name: string) => new Map([...source].filter(([n]) => n !== name));
    expect(() => ssdMobileNetV1FaceDetector(without('Prediction/Conv2d_3_pointwise/weights'))).toThrow(
      /ssdMobileNetV1FaceDetector: weight 'Prediction\/Conv2d_3_pointwise\/weights' is missing/,
    );
    expect(() => ssdMobileNetV1FaceDetector(without('Output/extra_dim'))).toThrow(ValueError);
    const extra = new Map(source).set('Prediction/Conv2d_8_pointwise/weights', new HostTensor(new Float32Array(4), [1, 1, 2, 2]));
    expect(() => ssdMobileNetV1FaceDetector(extra)).toThrow(/weight 'Prediction\/Conv2d_8_pointwise\/weights' matches no layer/);
    const fewer = new Map(source).set('Output/extra_dim', new HostTensor(new Float32Array(8), [1, 2, 4]));
    expect(() => ssdMobileNetV1FaceDetector(fewer)).toThrow(ShapeError);
    expect(() => ssdMobileNetV1FaceDetector(fewer)).toThrow(
      /Output\/extra_dim must hold the 5118 anchors of the outputs as \[1, 5118, 4\], got \[1, 2, 4\]/,
    );
  });
});
