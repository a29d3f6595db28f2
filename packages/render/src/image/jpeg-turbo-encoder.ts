import { createRequire } from 'node:module';
import type { Canvas } from '@napi-rs/canvas';

type JpegTurbo = typeof import('@julusian/jpeg-turbo');

/**
 * libjpeg-turbo with its SIMD code, for JPEG output. Skia's own JPEG encoder, as shipped
 * in @napi-rs/canvas, is built without libjpeg-turbo's SIMD paths: a 600x720 meme takes
 * it 4.5 to 6.5 ms of CPU, against 1.2 to 1.8 ms here, pixel readback included. JPEG is
 * the default output, and with Skia's encoder it was most of a worker's CPU per meme.
 *
 * The module is a prebuilt native addon. Where no prebuild fits the platform it cannot
 * load, and JPEG falls back to Skia's encoder: slower, never broken.
 */
const loadJpegTurbo = (): JpegTurbo | undefined => {
  // A synchronous require, not a top-level await of import(): top-level await would make
  // every module that imports the renderer asynchronous, which the server bundle's lazily
  // started roles do not survive.
  try {
    return createRequire(import.meta.url)('@julusian/jpeg-turbo') as JpegTurbo;
  } catch {
    return undefined;
  }
};

const jpegTurbo = loadJpegTurbo();

/** Which JPEG encoder this process uses, for its start-up log. */
export const JPEG_ENCODER: 'libjpeg-turbo' | 'skia' = jpegTurbo === undefined ? 'skia' : 'libjpeg-turbo';

const BYTES_PER_PIXEL = 4;
const MAX_POOLED_OUTPUTS = 8;

/**
 * Output buffers sized for the worst case (libjpeg-turbo's bound, about 1.3 MB for
 * 600x720) are reused: a fresh one per meme costs page faults that, on small virtual
 * machines, take longer than the encode.
 */
const outputs: Buffer[] = [];

/**
 * Encodes the canvas's pixels as a 4:2:0 JPEG, or returns undefined when libjpeg-turbo is
 * not available here.
 *
 * The encode runs on the calling thread, as the drawing before it does, not on libuv's
 * thread pool: a pool job costs a hand-off to a pool thread and a wake-up of the event loop
 * when it completes, and on a busy machine those wake-ups stop batching. In the pipeline
 * benchmark a worker then made three to four times the system calls per meme and spent
 * 1.5 to 3 ms more CPU on each. A worker renders one meme at a time per process either way
 * (drawing is synchronous); it scales by processes, not by pool threads.
 */
export const encodeJpegTurbo = (canvas: Canvas, quality: number): Buffer | undefined => {
  if (jpegTurbo === undefined) return undefined;
  const { width, height } = canvas;
  const pixels = canvas.data();
  // Rows padded beyond width x 4 bytes would need a stride; Skia does not pad raster rows,
  // but if it ever does, its own encoder is still right.
  if (pixels.byteLength !== width * height * BYTES_PER_PIXEL) return undefined;
  const options = {
    format: jpegTurbo.FORMAT_RGBA,
    width,
    height,
    quality,
    subsampling: jpegTurbo.SAMP_420,
  };
  const needed = jpegTurbo.bufferSize(options);
  const index = outputs.findIndex((buffer) => buffer.byteLength >= needed);
  const output = index >= 0 ? (outputs.splice(index, 1)[0] as Buffer) : Buffer.allocUnsafeSlow(needed);
  try {
    // The result is a view into the pooled buffer: copy it out before the buffer goes back.
    return Buffer.from(jpegTurbo.compressSync(pixels, output, options));
  } finally {
    release(output);
  }
};

const release = (output: Buffer): void => {
  if (outputs.length < MAX_POOLED_OUTPUTS) outputs.push(output);
};
