import type { FontId } from '../fonts/font-catalog.ts';
import type { InkExtents, TextMeasurer } from '../layout/text-measurer.ts';

/**
 * A measurer with made-up but plausible metrics, so that core's own tests run without a
 * font engine (core runs in browsers and must not depend on Skia). The render package
 * runs the same properties against the real fonts.
 */
export class FixedWidthMeasurer implements TextMeasurer {
  measureWidth(text: string, _font: FontId): number {
    let width = 0;
    for (const char of text) width += widthOf(char);
    return width;
  }

  measureInk(text: string, _font: FontId): InkExtents {
    return { ascent: 72, descent: /[gjpqy]/.test(text) ? 20 : 0 };
  }
}

const widthOf = (char: string): number => {
  if (/\p{Extended_Pictographic}/u.test(char)) return 120;
  if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(char)) return 100;
  if (/\p{M}|\u200d/u.test(char)) return 0;
  if (char === ' ') return 25;
  return 55;
};
