import { cssFontFor, type FontId, type InkExtents, REFERENCE_FONT_SIZE, type TextMeasurer } from '@memelab/core';
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { registerBundledFonts } from './fonts/font-registry.ts';

/** Measures with Skia, the same engine that draws, at the layout engine's reference size. */
export class CanvasTextMeasurer implements TextMeasurer {
  private readonly ctx: SKRSContext2D;
  private currentFont = '';

  constructor() {
    registerBundledFonts();
    this.ctx = createCanvas(1, 1).getContext('2d');
  }

  private use(font: FontId, text: string): SKRSContext2D {
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
