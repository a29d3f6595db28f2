import type { OutputFormat } from '@memelab/core';
import type { Canvas } from '@napi-rs/canvas';
import { encodeJpegTurbo } from './jpeg-turbo-encoder.ts';

export { JPEG_ENCODER } from './jpeg-turbo-encoder.ts';

export const CONTENT_TYPES: Readonly<Record<OutputFormat, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
};

export const DEFAULT_QUALITY = 85;

/**
 * JPEG goes through libjpeg-turbo where it loads, on the calling thread (see
 * jpeg-turbo-encoder.ts for why); PNG and WebP through Skia, on libuv's thread pool: they
 * are rarer and several times slower to encode, so the event loop keeps serving meanwhile.
 */
export const encodeCanvas = async (
  canvas: Canvas,
  format: OutputFormat,
  quality = DEFAULT_QUALITY,
): Promise<Buffer> => {
  switch (format) {
    case 'png':
      return canvas.encode('png');
    case 'jpg':
      return encodeJpegTurbo(canvas, quality) ?? canvas.encode('jpeg', quality);
    case 'webp':
      return canvas.encode('webp', quality);
  }
};
