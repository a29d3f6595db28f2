import { ContextTextMeasurer } from '@memelab/core';
import { createCanvas } from '@napi-rs/canvas';
import { registerBundledFonts } from './fonts/font-registry.ts';

/** Measures with Skia, the same engine that draws, once the bundled fonts are registered. */
export class CanvasTextMeasurer extends ContextTextMeasurer {
  constructor() {
    registerBundledFonts();
    super(createCanvas(1, 1).getContext('2d'));
  }
}
