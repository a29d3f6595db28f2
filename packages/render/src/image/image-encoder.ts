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
/**
 * One turn of the event loop. The pixels read back for the encoder are native memory that
 * is released only once its finalizer runs, and finalizers run between turns: a caller that
 * renders meme after meme without other I/O would otherwise pile them up until garbage
 * collection can free nothing (about 2.5 times the CPU per meme in bench:render).
 */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const encodeCanvas = async (
  canvas: Canvas,
  format: OutputFormat,
  quality = DEFAULT_QUALITY,
): Promise<Buffer> => {
  switch (format) {
    case 'png':
      return canvas.encode('png');
    case 'jpg': {
      const bytes = encodeJpegTurbo(canvas, quality);
      if (bytes === undefined) return canvas.encode('jpeg', quality);
      await yieldToEventLoop();
      return bytes;
    }
    case 'webp':
      return canvas.encode('webp', quality);
  }
};
