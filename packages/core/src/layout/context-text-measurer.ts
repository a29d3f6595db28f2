import { cssFontFor, type FontId } from '../fonts/font-catalog.ts';
import { type InkExtents, REFERENCE_FONT_SIZE, type TextMeasurer } from './text-measurer.ts';

/** The part of a 2D canvas context text is measured with: Skia's and the browser's alike. */
export interface MeasuringContext {
  font: string;
  measureText(text: string): { width: number; actualBoundingBoxAscent: number; actualBoundingBoxDescent: number };
}

/**
 * Measures with a canvas context at the layout engine's reference size, with the same font
 * shorthand the painter draws with, so the server (Skia) and the browser preview measure
 * alike. The context's fonts must be loaded before the first measurement.
 */
export class ContextTextMeasurer implements TextMeasurer {
  private currentFont = '';

  constructor(private readonly ctx: MeasuringContext) {}

  private use(font: FontId, text: string): MeasuringContext {
    const css = cssFontFor(font, REFERENCE_FONT_SIZE, text);
    if (css !== this.currentFont) {
      this.ctx.font = css;
      this.currentFont = css;
    }
    return this.ctx;
  }

  measureWidth(text: string, font: FontId): number {
    return this.use(font, text).measureText(text).width;
  }

  measureInk(text: string, font: FontId): InkExtents {
    const metrics = this.use(font, text).measureText(text);
    return { ascent: metrics.actualBoundingBoxAscent, descent: metrics.actualBoundingBoxDescent };
  }
}
