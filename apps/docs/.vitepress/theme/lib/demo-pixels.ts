import type { Pixels } from '@sepconv/mobilenet';

/** The 2D context the demo reads pixels back from (often: once per webcam frame). */
export function readableContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('demo: the browser gave no 2D canvas context');
  return context;
}

/** Decodes an image (the bundled photo's URL, or the visitor's file) as the browser draws it. */
export async function decodeBitmap(source: string | Blob): Promise<ImageBitmap> {
  const blob = typeof source === 'string' ? await (await fetch(source)).blob() : source;
  try {
    // No colour conversion: the pixels are the file's, as a JPEG decoder in Node gives them.
    return await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch (error) {
    const name = source instanceof File ? source.name : typeof source === 'string' ? source : 'the picture';
    throw new Error(`${name} is not a picture this browser can decode (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}

/** A bitmap's RGBA pixels at full size, read through a canvas of its own. */
export function bitmapPixels(bitmap: ImageBitmap): Pixels {
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = readableContext(canvas);
  context.drawImage(bitmap, 0, 0);
  return { data: context.getImageData(0, 0, canvas.width, canvas.height).data, width: canvas.width, height: canvas.height };
}

/** Decodes an image (the bundled photo's URL, or the visitor's file) to RGBA pixels, drawing it on `canvas` as a preview. */
export async function decodePixels(source: string | Blob, canvas: HTMLCanvasElement): Promise<Pixels> {
  const bitmap = await decodeBitmap(source);
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = readableContext(canvas);
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return { data: context.getImageData(0, 0, canvas.width, canvas.height).data, width: canvas.width, height: canvas.height };
}
