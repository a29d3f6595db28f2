import { inflateSync } from 'node:zlib';
import { inspectInputImage } from '@memelab/render';
import { describe, expect, it } from 'vitest';
import { flatPng } from './flat-png.ts';

describe('flatPng', () => {
  it('is a PNG the upload guard reads at the size asked for', () => {
    const png = flatPng(300, 200);
    expect(inspectInputImage(png)).toMatchObject({ type: 'png', width: 300, height: 200 });
  });

  it('holds one colour in every pixel, rows unfiltered', () => {
    const png = flatPng(4, 3, [1, 2, 3]);
    const idatAt = png.indexOf('IDAT');
    const length = png.readUInt32BE(idatAt - 4);
    const raw = inflateSync(png.subarray(idatAt + 4, idatAt + 4 + length));
    expect(raw.length).toBe(3 * (1 + 4 * 3));
    expect([...raw.subarray(0, 13)]).toEqual([0, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
  });

  it('compresses to a tiny fraction of its bitmap, so the largest allowed picture uploads', () => {
    // 3 MB of pixels; the same ratio keeps 40 megapixels (120 MB) far below the 10 MB upload limit.
    expect(flatPng(1000, 1000).length).toBeLessThan(3_000_000 / 200);
  });
});
