import fc from 'fast-check';
import { expect } from 'vitest';
import { FONT_IDS } from '../fonts/font-catalog.ts';
import { type CaptionLayoutInput, layoutCaption } from '../layout/text-layout.ts';
import type { TextMeasurer } from '../layout/text-measurer.ts';

/** Words from several scripts, so wrapping meets spaces, no spaces, emoji and marks. */
const WORDS = [
  'one',
  'does',
  'not',
  'simply',
  'walk',
  'into',
  'mordor',
  'kubernetes',
  'yaml',
  'gyp',
  'a',
  'I',
  '你好',
  '世界',
  '日本語の',
  'テキスト',
  'مرحبا',
  'بالعالم',
  '😂',
  '👍🏽',
  '👨‍👩‍👧',
  'e\u0301te\u0301',
  'supercalifragilistic',
  "don't",
  'well-known',
  '(really)',
  'ok!',
  'Ünïcödé',
  '한국어',
];

const separator = fc.constantFrom(' ', ' ', ' ', '', '\n');

export const captionArbitrary = fc
  .array(fc.tuple(fc.constantFrom(...WORDS), separator), { minLength: 1, maxLength: 30 })
  .map((parts) =>
    parts
      .map(([word, sep]) => word + sep)
      .join('')
      .trim(),
  );

export const boxArbitrary = fc.record({
  width: fc.integer({ min: 60, max: 1200 }),
  height: fc.integer({ min: 40, max: 600 }),
  font: fc.constantFrom(...FONT_IDS),
  align: fc.constantFrom('left', 'center', 'right') as fc.Arbitrary<CaptionLayoutInput['align']>,
  verticalAlign: fc.constantFrom('top', 'middle', 'bottom') as fc.Arbitrary<CaptionLayoutInput['verticalAlign']>,
  outlineRatio: fc.constantFrom(0, 0.05, 0.1, 0.2),
  maxFontSize: fc.integer({ min: 8, max: 200 }),
});

/** Rounding slack for comparisons of sums of floating-point widths. */
const EPSILON = 1e-6;

/**
 * The layout engine's contract, checked with generated captions and boxes against a given
 * measurer: lines fit the box width, the block fits the box height, and adding text never
 * makes the font larger.
 */
export const checkLayoutProperties = (measurer: TextMeasurer, numRuns = 200): void => {
  fc.assert(
    fc.property(captionArbitrary, boxArbitrary, (text, box) => {
      const layout = layoutCaption({ text, ...box }, measurer);
      expect(layout.fits).toBe(true);
      const half = layout.outlineWidth / 2;
      for (const line of layout.lines) {
        expect(line.x - half).toBeGreaterThanOrEqual(-EPSILON);
        expect(line.x + line.width + half).toBeLessThanOrEqual(box.width + EPSILON);
      }
      expect(layout.blockHeight).toBeLessThanOrEqual(box.height + EPSILON);
      expect(layout.fontSize).toBeLessThanOrEqual(box.maxFontSize);
      // Every non-space character of the caption is drawn, in order.
      expect(
        layout.lines
          .map((line) => line.text)
          .join('')
          .replace(/\s/g, ''),
      ).toBe(text.replace(/\s/g, ''));
    }),
    { numRuns },
  );

  fc.assert(
    fc.property(captionArbitrary, captionArbitrary, boxArbitrary, (text, more, box) => {
      const shorter = layoutCaption({ text, ...box }, measurer);
      const longer = layoutCaption({ text: `${text} ${more}`, ...box }, measurer);
      expect(longer.fontSize).toBeLessThanOrEqual(shorter.fontSize);
    }),
    { numRuns },
  );
};
