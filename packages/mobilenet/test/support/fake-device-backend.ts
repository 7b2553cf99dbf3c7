// A backend whose tensors live "on a device" (hidden from the host) to test that the runtime
// never reads back between layers: it wraps the reference backend and counts reads.
import { HostTensor, isHostTensor, TensorScopes, type Activation, type Backend, type LoweringPreferences, type Tensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';

class DeviceTensor implements Tensor {
  readonly dtype = 'float32';
  readonly location = 'fake-device';
  isDisposed = false;
  constructor(readonly hidden: HostTensor) {}
  get shape(): readonly number[] {
    return this.hidden.shape;
  }
  get size(): number {
    return this.hidden.size;
  }
  dispose(): void {
    this.isDisposed = true;
  }
}

export interface FakeDeviceBackend extends Backend {
  reads: number;
  uploads: number;
  live(): number;
}

export interface FakeDeviceOptions {
  add: boolean;
  softmaxReshape?: boolean;
  graphOps?: boolean;
  /** `Backend.name`; default `'fake-device'`. */
  name?: string;
  loweringPreferences?: LoweringPreferences;
}

export function createFakeDeviceBackend(options: FakeDeviceOptions): FakeDeviceBackend {
  const reference = createReferenceBackend();
  const created: DeviceTensor[] = [];
  const scopes = new TensorScopes();
  const host = (t: Tensor | undefined): HostTensor | undefined => {
    if (t === undefined || isHostTensor(t)) return t;
    if (!(t instanceof DeviceTensor) || t.isDisposed) throw new Error('fake-device: tensor disposed or foreign');
    return t.hidden;
  };
  const wrap = (t: Tensor): DeviceTensor => {
    const d = new DeviceTensor(t as HostTensor);
    created.push(d);
    return scopes.track(d);
  };
  const backend: FakeDeviceBackend = {
    name: options.name ?? 'fake-device',
    ...(options.loweringPreferences ? { loweringPreferences: options.loweringPreferences } : {}),
    reads: 0,
    uploads: 0,
    live: () => created.filter((t) => !t.isDisposed).length,
    conv2d: (x, f, o = {}) => wrap(reference.conv2d(host(x)!, host(f)!, { ...o, bias: host(o.bias) })),
    depthwiseConv2d: (x, f, o = {}) => wrap(reference.depthwiseConv2d(host(x)!, host(f)!, { ...o, bias: host(o.bias) })),
    pointwiseConv2d: (x, f, o = {}) => wrap(reference.pointwiseConv2d(host(x)!, host(f)!, { ...o, bias: host(o.bias) })),
    separableConv2d: (x, d, p, o = {}) =>
      wrap(reference.separableConv2d(host(x)!, host(d)!, host(p)!, { ...o, bias: host(o.bias), depthwiseBias: host(o.depthwiseBias) })),
    async read(x) {
      backend.reads++;
      return host(x)!.data.slice();
    },
    scope: (fn) => scopes.scope(fn),
    scopeAsync: (fn) => scopes.scopeAsync(fn),
    dispose() {},
  };
  if (options.add) {
    backend.add = (a: Tensor, b: Tensor, o: { activation?: Activation } = {}) => {
      const [ha, hb] = [host(a)!, host(b)!];
      const act = o.activation ?? 'linear';
      return wrap(
        new HostTensor(
          ha.data.map((v, i) => (act === 'linear' ? v + hb.data[i]! : Math.max(0, v + hb.data[i]!))),
          ha.shape,
        ),
      );
    };
  }
  if (options.graphOps === true) {
    // Every graph operation on the hidden host data, broadcasting add included.
    backend.add = (a, b, o) => wrap(reference.add!(host(a)!, host(b)!, o));
    backend.sub = (a, b, o) => wrap(reference.sub!(host(a)!, host(b)!, o));
    backend.mul = (a, b, o) => wrap(reference.mul!(host(a)!, host(b)!, o));
    backend.div = (a, b, o) => wrap(reference.div!(host(a)!, host(b)!, o));
    backend.activation = (x, a) => wrap(reference.activation!(host(x)!, a));
    backend.concat = (xs, o) =>
      wrap(
        reference.concat!(
          xs.map((x) => host(x)!),
          o,
        ),
      );
    backend.pad = (x, p, o) => wrap(reference.pad!(host(x)!, p, o));
    backend.pool2d = (x, o) => wrap(reference.pool2d!(host(x)!, o));
    backend.globalPool2d = (x, o) => wrap(reference.globalPool2d!(host(x)!, o));
    backend.resizeBilinear = (x, size, o) => wrap(reference.resizeBilinear!(host(x)!, size, o));
  }
  if (options.softmaxReshape === true) {
    backend.softmax = (x: Tensor) => wrap(reference.softmax!(host(x)!));
    backend.reshape = (x: Tensor, shape: readonly number[]) => wrap(reference.reshape!(host(x)!, shape));
  }
  return backend;
}
