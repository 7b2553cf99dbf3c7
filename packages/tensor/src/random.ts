import { ValueError } from './errors.js';
import { assertValidShape, sizeOf } from './shape.js';
import { HostTensor } from './tensor.js';

/**
 * A small, fast, seeded pseudo-random generator (mulberry32: 32-bit state, passes
 * SmallCrush), so tests and benchmarks get the same numbers on every machine.
 */
export class Random {
  private state: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new ValueError('Random', 'seed', `seed must be a finite number, got ${seed}`);
    this.state = Math.trunc(seed) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** Integer uniform in [low, high] (both inclusive). */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  /** One of the items, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Standard normal (Box–Muller, the second value kept for the next call). */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== undefined) {
      const value = this.spareNormal;
      this.spareNormal = undefined;
      return mean + std * value;
    }
    const u = 1 - this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return mean + std * radius * Math.cos(2 * Math.PI * v);
  }
}

/** A host tensor of values uniform in [low, high), reproducible from `seed`. */
export function randomUniform(shape: readonly number[], seed: number, low = -1, high = 1): HostTensor {
  assertValidShape('randomUniform', 'shape', shape);
  const random = new Random(seed);
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = random.uniform(low, high);
  return new HostTensor(data, Object.freeze([...shape]));
}

/** A host tensor of normally distributed values, reproducible from `seed`. */
export function randomNormal(shape: readonly number[], seed: number, mean = 0, std = 1): HostTensor {
  assertValidShape('randomNormal', 'shape', shape);
  const random = new Random(seed);
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = random.normal(mean, std);
  return new HostTensor(data, Object.freeze([...shape]));
}
