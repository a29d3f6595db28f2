import {
  CachingTextMeasurer,
  ContextTextMeasurer,
  layoutPlan,
  type MemeSpec,
  type PlanBase,
  paintMeme,
  planMeme,
  type TextMeasurer,
} from '@memelab/core';
import { loadFontsFor } from './font-loading.ts';
import { loadImage } from './image-loading.ts';

let sharedMeasurer: TextMeasurer | undefined;
/**
 * Measures with the browser's canvas exactly as the renderer measures with Skia (the same
 * ContextTextMeasurer). Fonts are loaded before each draw (font-loading.ts), otherwise the
 * browser would measure a fallback face.
 */
const measurer = (): TextMeasurer => {
  if (sharedMeasurer === undefined) {
    const ctx = document.createElement('canvas').getContext('2d');
    if (ctx === null) throw new Error('This browser cannot draw on a canvas.');
    sharedMeasurer = new CachingTextMeasurer(new ContextTextMeasurer(ctx));
  }
  return sharedMeasurer;
};

export interface PreviewRequest {
  readonly spec: MemeSpec;
  readonly base: PlanBase;
  readonly imageUrl: string;
}

/**
 * Draws a meme the way the render worker does: the same plan, the same layout engine and
 * the same caption painter, over the background scaled to the output size. Returns false
 * when `isCurrent` says a newer request superseded this one while fonts or the image loaded.
 */
export const drawPreview = async (
  canvas: HTMLCanvasElement,
  request: PreviewRequest,
  isCurrent: () => boolean,
): Promise<boolean> => {
  const plan = planMeme(request.spec, request.base);
  const [image] = await Promise.all([loadImage(request.imageUrl), loadFontsFor(plan)]);
  if (!isCurrent()) return false;
  const layouts = layoutPlan(plan, measurer());
  if (canvas.width !== plan.width) canvas.width = plan.width;
  if (canvas.height !== plan.height) canvas.height = plan.height;
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('This browser cannot draw on a canvas.');
  paintMeme(ctx, plan, layouts, image);
  return true;
};
