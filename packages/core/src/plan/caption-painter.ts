import { cssFontFor } from '../fonts/font-catalog.ts';
import { type CaptionLayout, layoutCaption } from '../layout/text-layout.ts';
import type { TextMeasurer } from '../layout/text-measurer.ts';
import type { PlannedCaption, RenderPlan } from './render-plan.ts';

/**
 * The part of a 2D canvas context captions are drawn with. Both Skia's context on the
 * server and the browser's CanvasRenderingContext2D satisfy it, so one painter draws the
 * final image and the live preview.
 */
export interface CaptionCanvas {
  font: string;
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  lineJoin: string;
  miterLimit: number;
  textAlign: string;
  textBaseline: string;
  save(): void;
  restore(): void;
  translate(x: number, y: number): void;
  rotate(angle: number): void;
  beginPath(): void;
  rect(x: number, y: number, width: number, height: number): void;
  clip(): void;
  fillText(text: string, x: number, y: number): void;
  strokeText(text: string, x: number, y: number): void;
}

export const layoutCaptionInPlan = (caption: PlannedCaption, plan: RenderPlan, measurer: TextMeasurer): CaptionLayout =>
  layoutCaption(
    {
      text: caption.text,
      font: caption.style.font,
      width: caption.width,
      height: caption.height,
      align: caption.align,
      verticalAlign: caption.verticalAlign,
      outlineRatio: caption.style.outlineRatio,
      maxFontSize: caption.style.maxFontRatio * plan.height,
    },
    measurer,
  );

export const layoutPlan = (plan: RenderPlan, measurer: TextMeasurer): CaptionLayout[] =>
  plan.captions.map((caption) => layoutCaptionInPlan(caption, plan, measurer));

/** Draws every caption of the plan; the background is the caller's (it differs by platform). */
export const paintCaptions = (ctx: CaptionCanvas, plan: RenderPlan, layouts: readonly CaptionLayout[]): void => {
  plan.captions.forEach((caption, index) => {
    const layout = layouts[index];
    if (layout === undefined || layout.lines.length === 0) return;
    ctx.save();
    ctx.translate(caption.x + caption.width / 2, caption.y + caption.height / 2);
    if (caption.rotation !== 0) ctx.rotate((caption.rotation * Math.PI) / 180);
    ctx.translate(-caption.width / 2, -caption.height / 2);
    if (!layout.fits) {
      ctx.beginPath();
      ctx.rect(0, 0, caption.width, caption.height);
      ctx.clip();
    }
    ctx.font = cssFontFor(caption.style.font, layout.fontSize, caption.text);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    // Round joins: sharp glyph corners with miter joins grow spikes at large outline widths.
    ctx.lineJoin = 'round';
    ctx.miterLimit = 2;
    if (layout.outlineWidth > 0) {
      ctx.lineWidth = layout.outlineWidth;
      ctx.strokeStyle = caption.style.outlineColor;
      for (const line of layout.lines) ctx.strokeText(line.text, line.x, line.baseline);
    }
    ctx.fillStyle = caption.style.color;
    for (const line of layout.lines) ctx.fillText(line.text, line.x, line.baseline);
    ctx.restore();
  });
};

/** A canvas the whole meme is painted on: captions plus a background image of the platform's kind. */
export interface MemeCanvas<Background> extends CaptionCanvas {
  fillRect(x: number, y: number, width: number, height: number): void;
  clearRect(x: number, y: number, width: number, height: number): void;
  drawImage(image: Background, dx: number, dy: number, dw: number, dh: number): void;
}

/**
 * Paints a whole meme: the background scaled to the plan's size, then the captions. The
 * server's renderer and the browser preview both call this, so they differ only in the
 * rasteriser.
 */
export const paintMeme = <Background>(
  ctx: MemeCanvas<Background>,
  plan: RenderPlan,
  layouts: readonly CaptionLayout[],
  background: Background,
): void => {
  if (plan.format === 'jpg') {
    // JPEG has no alpha: transparent pixels would otherwise turn black.
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, plan.width, plan.height);
  } else {
    ctx.clearRect(0, 0, plan.width, plan.height);
  }
  ctx.drawImage(background, 0, 0, plan.width, plan.height);
  paintCaptions(ctx, plan, layouts);
};
