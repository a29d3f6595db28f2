import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { decodePixels, differingShare, syntheticBackground } from '../testing/images.ts';
import { encodeCanvas, JPEG_ENCODER } from './image-encoder.ts';

/** A photo-like background with a solid block whose place depends on the seed. */
const canvasOf = async (width: number, height: number, seed: number) => {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(await loadImage(Buffer.from(syntheticBackground(width, height, seed))), 0, 0);
  ctx.fillStyle = '#e0207a';
  ctx.fillRect(((seed % 3) * width) / 3, 0, width / 3, height / 2);
  return canvas;
};

const pixelsOf = (canvas: Awaited<ReturnType<typeof canvasOf>>) =>
  canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);

describe('image encoder', () => {
  it('uses libjpeg-turbo for JPEG on the platforms it ships for', () => {
    // The prebuilt addon covers linux x64/arm64/arm (glibc and musl), macOS and Windows.
    expect(JPEG_ENCODER).toBe('libjpeg-turbo');
  });

  it('encodes a JPEG that decodes to the picture on the canvas', async () => {
    const canvas = await canvasOf(300, 200, 3);
    const bytes = await encodeCanvas(canvas, 'jpg', 85);
    expect(bytes.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    const decoded = await decodePixels(bytes);
    expect([decoded.width, decoded.height]).toEqual([300, 200]);
    expect(differingShare(decoded, pixelsOf(canvas))).toBeLessThan(0.01);
  });

  it('tells pictures apart (the comparison above can fail)', async () => {
    const decoded = await decodePixels(await encodeCanvas(await canvasOf(300, 200, 3), 'jpg', 85));
    expect(differingShare(decoded, pixelsOf(await canvasOf(300, 200, 4)))).toBeGreaterThan(0.15);
  });

  it('keeps concurrent encodes of different sizes apart, and their bytes stable afterwards', async () => {
    const canvases = await Promise.all([canvasOf(320, 240, 1), canvasOf(200, 300, 2), canvasOf(320, 240, 5)]);
    const rounds = await Promise.all(
      Array.from({ length: 4 }, () => Promise.all(canvases.map((canvas) => encodeCanvas(canvas, 'jpg', 80)))),
    );
    const firsts = rounds[0] ?? [];
    const copies = firsts.map((bytes) => Buffer.from(bytes));
    // More encodes reuse the output buffers; what was returned before must not change.
    await Promise.all(canvases.map((canvas) => encodeCanvas(canvas, 'jpg', 60)));
    expect(firsts.map((bytes, index) => bytes.equals(copies[index] as Buffer))).toEqual([true, true, true]);
    for (const round of rounds) {
      for (const [index, bytes] of round.entries()) {
        const canvas = canvases[index];
        if (canvas === undefined) throw new Error('missing canvas');
        expect(differingShare(await decodePixels(bytes), pixelsOf(canvas))).toBeLessThan(0.01);
      }
    }
  });

  it('lowers the size with the quality', async () => {
    const canvas = await canvasOf(400, 300, 9);
    const [high, low] = await Promise.all([encodeCanvas(canvas, 'jpg', 95), encodeCanvas(canvas, 'jpg', 40)]);
    expect(low.byteLength).toBeLessThan(high.byteLength * 0.7);
  });
});
