import {
  CachingTextMeasurer,
  layoutPlan,
  type MemeSpec,
  type PlanBase,
  paintCaptions,
  planMeme,
  type TextMeasurer,
} from '@memelab/core';
import { BrowserTextMeasurer } from './browser-text-measurer.ts';
import { loadFontsFor } from './font-loading.ts';
import { loadImage } from './image-loading.ts';

let sharedMeasurer: TextMeasurer | undefined;
const measurer = (): TextMeasurer => {
  sharedMeasurer ??= new CachingTextMeasurer(new BrowserTextMeasurer());
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
  if (plan.format === 'jpg') {
    // The server fills JPEGs white because they have no alpha; the preview matches it.
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, plan.width, plan.height);
  } else {
    ctx.clearRect(0, 0, plan.width, plan.height);
  }
  ctx.drawImage(image, 0, 0, plan.width, plan.height);
  paintCaptions(ctx, plan, layouts);
  return true;
};
