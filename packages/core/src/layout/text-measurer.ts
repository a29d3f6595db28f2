import type { FontId } from '../fonts/font-catalog.ts';

/**
 * Every measurement is taken at this size and scaled linearly. Outline fonts scale
 * linearly (the renderer draws unhinted, subpixel-positioned glyphs), so one measurement
 * serves every size the font-size search tries.
 */
export const REFERENCE_FONT_SIZE = 100;

export interface InkExtents {
  /** Distance from the baseline up to the top of the highest glyph, in px. */
  readonly ascent: number;
  /** Distance from the baseline down to the bottom of the lowest glyph, in px. */
  readonly descent: number;
}

/**
 * Real font metrics, supplied by whoever can shape text: Skia on the server, the browser's
 * canvas in the editor. The layout engine never guesses a glyph's size.
 */
export interface TextMeasurer {
  /** Advance width of `text` set in `font` at REFERENCE_FONT_SIZE, in px. */
  measureWidth(text: string, font: FontId): number;
  /** Ink extents of `text` set in `font` at REFERENCE_FONT_SIZE. */
  measureInk(text: string, font: FontId): InkExtents;
}

/**
 * Remembers measurements: the font-size search measures the same words and lines many
 * times. Bounded so a stream of unique captions cannot grow it without limit.
 */
export class CachingTextMeasurer implements TextMeasurer {
  private readonly widths = new Map<string, number>();
  private readonly inks = new Map<string, InkExtents>();

  constructor(
    private readonly inner: TextMeasurer,
    private readonly maxEntries = 20_000,
  ) {}

  measureWidth(text: string, font: FontId): number {
    const key = `${font}\u0000${text}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      width = this.inner.measureWidth(text, font);
      if (this.widths.size >= this.maxEntries) this.widths.clear();
      this.widths.set(key, width);
    }
    return width;
  }

  measureInk(text: string, font: FontId): InkExtents {
    const key = `${font}\u0000${text}`;
    let ink = this.inks.get(key);
    if (ink === undefined) {
      ink = this.inner.measureInk(text, font);
      if (this.inks.size >= this.maxEntries) this.inks.clear();
      this.inks.set(key, ink);
    }
    return ink;
  }
}
