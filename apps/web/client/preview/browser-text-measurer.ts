import { cssFontFor, type FontId, type InkExtents, REFERENCE_FONT_SIZE, type TextMeasurer } from '@memelab/core';

/**
 * Measures with the browser's canvas exactly as the renderer measures with Skia: at the
 * layout engine's reference size, with the same font shorthand, advance width and ink
 * extents. Fonts must be loaded before the first measurement (see font-loading.ts),
 * otherwise the browser measures a fallback face.
 */
export class BrowserTextMeasurer implements TextMeasurer {
  private readonly ctx: CanvasRenderingContext2D;
  private currentFont = '';

  constructor() {
    const ctx = document.createElement('canvas').getContext('2d');
    if (ctx === null) throw new Error('This browser cannot draw on a canvas.');
    this.ctx = ctx;
  }

  private use(font: FontId, text: string): CanvasRenderingContext2D {
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
