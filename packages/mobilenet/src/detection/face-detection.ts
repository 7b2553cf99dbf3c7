/** A detected face: its box in the photo's pixels and the detector's confidence. */
export interface FaceDetection {
  /** Top-left corner and size in the input image's pixels, clipped to the image. */
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** The class probability (sigmoid of the face logit), in (0, 1). */
  readonly score: number;
}
