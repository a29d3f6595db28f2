import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { layoutPlan, type MemeSpecInput, parseMemeSpec, planMeme, type RenderPlan } from '@memelab/core';
import { describe, expect, it } from 'vitest';
import { MemeRenderer } from './meme-renderer.ts';
import {
  backgroundOf,
  decodePixels,
  differingShare,
  syntheticBackground,
  transparentBackground,
} from './testing/images.ts';

const GOLDEN_DIR = fileURLToPath(new URL('./__golden__/', import.meta.url));
/** Share of pixels allowed to differ from a golden image: anti-aliasing across Skia builds. */
const GOLDEN_TOLERANCE = 0.01;
const BACKGROUND_ID = 'a'.repeat(24);

const renderer = new MemeRenderer();
/** Noise-free, so the committed golden PNGs stay small. */
const goldenBackground = syntheticBackground(240, 240, 7, 0);

const planFor = (width: number, height: number, spec: Omit<MemeSpecInput, 'background'>): RenderPlan =>
  planMeme(parseMemeSpec({ background: BACKGROUND_ID, format: 'png', ...spec }), { width, height, textBoxes: [] });

const GOLDEN_CASES: Record<string, Omit<MemeSpecInput, 'background'>> = {
  'classic-top-bottom': {
    boxes: [
      { x: 0.03, y: 0.02, width: 0.94, height: 0.22, verticalAlign: 'top' },
      { x: 0.03, y: 0.76, width: 0.94, height: 0.22, verticalAlign: 'bottom' },
    ],
    captions: ['one does not simply', 'walk into mordor without a load test first'],
  },
  'rotated-sans-left': {
    boxes: [
      {
        x: 0.1,
        y: 0.3,
        width: 0.8,
        height: 0.4,
        align: 'left',
        rotation: -10,
        style: { font: 'noto-sans', color: '#111111', outlineColor: '#ffffff', outlineRatio: 0.05, case: 'none' },
      },
    ],
    captions: ['It works on my machine.\nShip the machine.'],
  },
  'mixed-scripts': {
    boxes: [{ x: 0.05, y: 0.05, width: 0.9, height: 0.9, style: { maxFontRatio: 0.2 } }],
    captions: ['你好世界 😂 مرحبا بالعالم 👍🏽 e\u0301te\u0301'],
  },
};

describe('meme renderer', () => {
  it.each(Object.keys(GOLDEN_CASES))('draws %s like its golden image', async (name) => {
    const spec = GOLDEN_CASES[name];
    if (spec === undefined) throw new Error(`no golden case ${name}`);
    const { bytes } = await renderer.render(planFor(240, 240, spec), backgroundOf('golden', goldenBackground));
    const goldenPath = join(GOLDEN_DIR, `${name}.png`);
    if (process.env.UPDATE_GOLDEN === '1') await writeFile(goldenPath, bytes);
    expect(existsSync(goldenPath), `missing ${goldenPath}: run UPDATE_GOLDEN=1 npm test`).toBe(true);
    const share = differingShare(await decodePixels(bytes), await decodePixels(await readFile(goldenPath)));
    expect(share).toBeLessThanOrEqual(GOLDEN_TOLERANCE);
  });

  it('notices when a caption changes (the golden comparison can fail)', async () => {
    const spec = GOLDEN_CASES['classic-top-bottom'];
    if (spec === undefined) throw new Error('no golden case');
    const changed = { ...spec, captions: ['one does not simply', 'walk into mordor'] };
    const { bytes } = await renderer.render(planFor(240, 240, changed), backgroundOf('golden', goldenBackground));
    const golden = await readFile(join(GOLDEN_DIR, 'classic-top-bottom.png'));
    expect(differingShare(await decodePixels(bytes), await decodePixels(golden))).toBeGreaterThan(GOLDEN_TOLERANCE);
  });

  it.each([
    ['CJK', '我们一起去吃饭吧。日本語のテキストも折り返します。한국어 문장도 됩니다'],
    ['Arabic', 'مرحبا بالعالم هذا نص عربي طويل بعض الشيء لاختبار الالتفاف'],
    ['emoji', '😂🔥👍🏽 deploy on friday 👨‍👩‍👧 🚀🚀🚀 what could go wrong 🙃'],
    ['a 400-character caption', 'kubectl apply and pray '.repeat(18).slice(0, 400)],
    ['a 60-character single word', 'x'.repeat(30) + 'Y'.repeat(30)],
  ])('draws %s entirely inside its box', async (_name, caption) => {
    const width = 400;
    const height = 300;
    const box = { x: 0.25, y: 0.25, width: 0.5, height: 0.5 };
    const plan = planFor(width, height, { boxes: [box], captions: [caption] });
    const [layout] = layoutPlan(plan, renderer.textMeasurer);
    expect(layout?.fits).toBe(true);
    const { bytes } = await renderer.render(plan, backgroundOf('transparent', transparentBackground(width, height)));
    const pixels = await decodePixels(bytes);
    // One pixel of slack for anti-aliasing at the box edge.
    const inside = (x: number, y: number): boolean =>
      x >= box.x * width - 1 &&
      x <= (box.x + box.width) * width + 1 &&
      y >= box.y * height - 1 &&
      y <= (box.y + box.height) * height + 1;
    let drawnInside = 0;
    let drawnOutside = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if ((pixels.data[(y * width + x) * 4 + 3] ?? 0) === 0) continue;
        if (inside(x, y)) drawnInside++;
        else drawnOutside++;
      }
    }
    expect(drawnOutside).toBe(0);
    expect(drawnInside).toBeGreaterThan(500);
  });

  it('encodes each output format with its own signature', async () => {
    const background = backgroundOf('sig', syntheticBackground(80, 60));
    const signatures = { png: '89504e47', jpg: 'ffd8ff', webp: '52494646' } as const;
    for (const [format, signature] of Object.entries(signatures)) {
      const plan = planMeme(
        parseMemeSpec({
          background: BACKGROUND_ID,
          boxes: [{ x: 0, y: 0, width: 1, height: 1 }],
          captions: ['hi'],
          format,
        }),
        {
          width: 80,
          height: 60,
          textBoxes: [],
        },
      );
      const { bytes } = await renderer.render(plan, background);
      expect(bytes.subarray(0, signature.length / 2).toString('hex')).toBe(signature);
    }
  });

  it('decodes a background once for concurrent renders and then serves it from the cache', async () => {
    let loads = 0;
    const bytes = syntheticBackground(100, 100, 3);
    const source = {
      key: 'counted',
      load: async () => {
        loads++;
        return bytes;
      },
    };
    const plan = planFor(100, 100, { boxes: [{ x: 0, y: 0, width: 1, height: 0.3 }], captions: ['cached'] });
    const local = new MemeRenderer();
    await Promise.all([local.render(plan, source), local.render(plan, source), local.render(plan, source)]);
    await local.render(plan, source);
    expect(loads).toBe(1);
  });

  it('rejects a background that is not an image with 415', async () => {
    const plan = planFor(100, 100, { boxes: [{ x: 0, y: 0, width: 1, height: 0.3 }], captions: ['x'] });
    await expect(renderer.render(plan, backgroundOf('junk', Buffer.from('junk')))).rejects.toMatchObject({
      code: 'UNSUPPORTED_IMAGE_TYPE',
      status: 415,
    });
  });

  it('scales the background to a requested output size', async () => {
    const plan = planMeme(
      parseMemeSpec({
        background: BACKGROUND_ID,
        boxes: [{ x: 0, y: 0, width: 1, height: 0.5 }],
        captions: ['small'],
        width: 120,
        format: 'png',
      }),
      { width: 600, height: 300, textBoxes: [] },
    );
    const { bytes, width, height } = await renderer.render(plan, backgroundOf('big', syntheticBackground(600, 300)));
    expect([width, height]).toEqual([120, 60]);
    const pixels = await decodePixels(bytes);
    expect([pixels.width, pixels.height]).toEqual([120, 60]);
  });
});
