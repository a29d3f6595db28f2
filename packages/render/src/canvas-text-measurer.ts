import { ContextTextMeasurer, type FontId, type InkExtents } from '@memelab/core';
import { createCanvas } from '@napi-rs/canvas';
import { registerFontsFor } from './fonts/font-registry.ts';

/**
 * Measures with Skia, the same engine that draws. The bundled fonts a text needs are
 * registered on its first measurement, so a process pays for them only once it lays out a
 * caption (a server that starts renders nothing yet).
 */
export class CanvasTextMeasurer extends ContextTextMeasurer {
  constructor() {
    super(createCanvas(1, 1).getContext('2d'));
  }

  override measureWidth(text: string, font: FontId): number {
    registerFontsFor(text);
    return super.measureWidth(text, font);
  }

  override measureInk(text: string, font: FontId): InkExtents {
    registerFontsFor(text);
    return super.measureInk(text, font);
  }
}
