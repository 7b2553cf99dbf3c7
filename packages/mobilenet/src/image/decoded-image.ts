/**
 * An image decoded to 8-bit pixels, row-major, interleaved: `channels` values per pixel, RGB
 * (3) or RGBA (4, straight alpha). What {@link imageToTensor} takes, as it is.
 */
export interface DecodedImage {
  /** `width × height × channels` bytes, rows top to bottom. */
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
}
