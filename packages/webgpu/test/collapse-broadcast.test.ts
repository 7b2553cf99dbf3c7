import { describe, expect, it } from 'vitest';
import { collapseBroadcast } from '../src/collapse-broadcast.js';

describe('collapseBroadcast', () => {
  it('a same-shape operation is one axis', () => {
    expect(
      collapseBroadcast(
        [2, 5, 5, 8],
        [
          [200, 40, 8, 1],
          [200, 40, 8, 1],
        ],
      ),
    ).toEqual({ dims: [400], strides: [[1], [1]] });
  });

  it('a scalar operand is one axis with stride 0', () => {
    expect(
      collapseBroadcast(
        [2, 5, 5, 8],
        [
          [200, 40, 8, 1],
          [0, 0, 0, 0],
        ],
      ),
    ).toEqual({ dims: [400], strides: [[1], [0]] });
  });

  it('a per-channel vector is [N·H·W, C]', () => {
    expect(
      collapseBroadcast(
        [2, 5, 5, 8],
        [
          [200, 40, 8, 1],
          [0, 0, 0, 1],
        ],
      ),
    ).toEqual({
      dims: [50, 8],
      strides: [
        [8, 1],
        [0, 1],
      ],
    });
  });

  it("squeeze-and-excitation's [N,1,1,C] × [N,H,W,C] is [N, H·W, C]", () => {
    expect(
      collapseBroadcast(
        [2, 5, 5, 8],
        [
          [8, 0, 0, 1],
          [200, 40, 8, 1],
        ],
      ),
    ).toEqual({
      dims: [2, 25, 8],
      strides: [
        [8, 0, 1],
        [200, 8, 1],
      ],
    });
  });

  it('a broadcast along channels leaves an innermost stride of 0', () => {
    expect(
      collapseBroadcast(
        [2, 5, 5, 8],
        [
          [25, 5, 1, 0],
          [200, 40, 8, 1],
        ],
      ),
    ).toEqual({
      dims: [50, 8],
      strides: [
        [1, 0],
        [8, 1],
      ],
    });
  });

  it('size-1 axes vanish, whatever their strides', () => {
    expect(
      collapseBroadcast(
        [1, 5, 1, 8],
        [
          [40, 8, 8, 1],
          [0, 0, 0, 1],
        ],
      ),
    ).toEqual({
      dims: [5, 8],
      strides: [
        [8, 1],
        [0, 1],
      ],
    });
  });

  it('a single element, or rank 0, is [1] with stride 0', () => {
    expect(
      collapseBroadcast(
        [1, 1, 1],
        [
          [1, 1, 1],
          [0, 0, 0],
        ],
      ),
    ).toEqual({ dims: [1], strides: [[0], [0]] });
    expect(collapseBroadcast([], [[], []])).toEqual({ dims: [1], strides: [[0], [0]] });
  });

  it('alternating broadcasts keep every axis', () => {
    expect(
      collapseBroadcast(
        [2, 3, 4],
        [
          [4, 0, 1],
          [0, 1, 0],
        ],
      ).dims,
    ).toEqual([2, 3, 4]);
  });
});
