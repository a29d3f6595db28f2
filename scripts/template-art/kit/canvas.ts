/** Drawing primitives over a 2D canvas context: paints, shapes, gradients, transforms. */
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { Rng } from './random.ts';

export type Ctx = SKRSContext2D;

export type Fill = Ctx['fillStyle'];

export type Point = readonly [number, number];

export interface Paint {
  readonly fill?: Fill;
  readonly stroke?: Fill;
  readonly lineWidth?: number;
}

export interface Scene {
  readonly ctx: Ctx;
  readonly w: number;
  readonly h: number;
  readonly rng: Rng;
}

export const TAU = Math.PI * 2;

export const INK = '#1b1b24';

export const applyPaint = (ctx: Ctx, paint: Paint): void => {
  if (paint.fill !== undefined) {
    ctx.fillStyle = paint.fill;
    ctx.fill();
  }
  if (paint.stroke !== undefined) {
    ctx.strokeStyle = paint.stroke;
    ctx.lineWidth = paint.lineWidth ?? 2;
    ctx.lineJoin = 'round';
    ctx.stroke();
  }
};

export const circle = (ctx: Ctx, x: number, y: number, r: number, paint: Paint): void => {
  ctx.beginPath();
  ctx.arc(x, y, Math.max(r, 0.1), 0, TAU);
  applyPaint(ctx, paint);
};

export const oval = (ctx: Ctx, x: number, y: number, rx: number, ry: number, paint: Paint, rotation = 0): void => {
  ctx.beginPath();
  ctx.ellipse(x, y, Math.max(rx, 0.1), Math.max(ry, 0.1), rotation, 0, TAU);
  applyPaint(ctx, paint);
};

export const box = (ctx: Ctx, x: number, y: number, w: number, h: number, paint: Paint, radius = 0): void => {
  ctx.beginPath();
  if (radius > 0) ctx.roundRect(x, y, w, h, radius);
  else ctx.rect(x, y, w, h);
  applyPaint(ctx, paint);
};

export const polygon = (ctx: Ctx, points: readonly Point[], paint: Paint): void => {
  ctx.beginPath();
  for (const [x, y] of points) ctx.lineTo(x, y);
  ctx.closePath();
  applyPaint(ctx, paint);
};

export const polyline = (ctx: Ctx, points: readonly Point[], color: Fill, width: number): void => {
  ctx.beginPath();
  for (const [x, y] of points) ctx.lineTo(x, y);
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.stroke();
};

export const arcLine = (
  ctx: Ctx,
  x: number,
  y: number,
  r: number,
  from: number,
  to: number,
  color: Fill,
  width: number,
) => {
  ctx.beginPath();
  ctx.arc(x, y, r, from, to);
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.stroke();
};

export type Stops = readonly (readonly [number, string])[];

export type CanvasGradientLike = ReturnType<Ctx['createLinearGradient']>;

export const addStops = (gradient: CanvasGradientLike, stops: Stops): CanvasGradientLike => {
  for (const [offset, color] of stops) gradient.addColorStop(offset, color);
  return gradient;
};

export const linear = (ctx: Ctx, x0: number, y0: number, x1: number, y1: number, stops: Stops): Fill =>
  addStops(ctx.createLinearGradient(x0, y0, x1, y1), stops);

export const radial = (ctx: Ctx, x: number, y: number, r0: number, r1: number, stops: Stops): Fill =>
  addStops(ctx.createRadialGradient(x, y, r0, x, y, r1), stops);

export const verticalFill = (ctx: Ctx, x: number, y: number, w: number, h: number, stops: Stops): void =>
  box(ctx, x, y, w, h, { fill: linear(ctx, 0, y, 0, y + h, stops) });

/** A soft light source; drawn before the object that emits it. */
export const glow = (ctx: Ctx, x: number, y: number, r: number, rgb: string, strength = 0.6): void =>
  circle(ctx, x, y, r, {
    fill: radial(ctx, x, y, 0, r, [
      [0, `rgba(${rgb},${strength})`],
      [1, `rgba(${rgb},0)`],
    ]),
  });

/** Runs `draw` in a frame moved to (x, y) and turned by `rotation` radians. */
export const withFrame = (ctx: Ctx, x: number, y: number, rotation: number, draw: () => void): void => {
  ctx.save();
  ctx.translate(x, y);
  ctx.rotate(rotation);
  draw();
  ctx.restore();
};

export const withClip = (ctx: Ctx, x: number, y: number, w: number, h: number, draw: () => void): void => {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  draw();
  ctx.restore();
};
