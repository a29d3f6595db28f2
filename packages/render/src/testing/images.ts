import { createCanvas, type ImageData, loadImage } from '@napi-rs/canvas';
import pixelmatch from 'pixelmatch';
import type { BackgroundSource } from '../meme-renderer.ts';

export const decodePixels = async (bytes: Uint8Array): Promise<ImageData> => {
  const image = await loadImage(Buffer.from(bytes));
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return ctx.getImageData(0, 0, image.width, image.height);
};

/** Share of pixels that differ visibly (pixelmatch's perceptual threshold 0.1). */
export const differingShare = (a: ImageData, b: ImageData): number => {
  if (a.width !== b.width || a.height !== b.height) return 1;
  const different = pixelmatch(a.data, b.data, undefined, a.width, a.height, { threshold: 0.1 });
  return different / (a.width * a.height);
};

/** A deterministic photo-like background: smooth gradients plus seeded noise, as PNG bytes. */
export const syntheticBackground = (width: number, height: number, seed = 1, noiseAmplitude = 24): Uint8Array => {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(width, height);
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 4;
      const noise = (random() - 0.5) * noiseAmplitude;
      image.data[offset] = 40 + (150 * x) / width + noise;
      image.data[offset + 1] = 90 + 100 * Math.sin((Math.PI * y) / height) + noise;
      image.data[offset + 2] = 180 - (120 * y) / height + noise;
      image.data[offset + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
  return canvas.toBuffer('image/png');
};

export const transparentBackground = (width: number, height: number): Uint8Array =>
  createCanvas(width, height).toBuffer('image/png');

export const backgroundOf = (key: string, bytes: Uint8Array): BackgroundSource => ({ key, load: async () => bytes });

/** A PNG signature and IHDR chunk claiming the given size, with no pixel data at all. */
export const pngHeader = (width: number, height: number): Uint8Array => {
  const bytes = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'ascii');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  bytes[24] = 8;
  bytes[25] = 6;
  return bytes;
};
