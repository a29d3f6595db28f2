/** Scenery: skies, clouds, hills, trees, skylines, fire and smoke. */
import { applyPaint, box, type Ctx, circle, type Fill, polygon, type Scene, TAU } from './canvas.ts';
import { between } from './random.ts';

export const stars = (scene: Scene, x: number, y: number, w: number, h: number, count: number): void => {
  for (let index = 0; index < count; index++) {
    const alpha = between(scene.rng, 0.35, 1).toFixed(2);
    circle(scene.ctx, x + scene.rng() * w, y + scene.rng() * h, between(scene.rng, 0.6, 1.8), {
      fill: `rgba(255,255,240,${alpha})`,
    });
  }
};

export const cloud = (ctx: Ctx, x: number, y: number, s: number, fill: Fill): void => {
  const puffs: readonly (readonly [number, number, number])[] = [
    [-0.55, 0.1, 0.32],
    [-0.2, -0.12, 0.42],
    [0.22, -0.05, 0.38],
    [0.55, 0.12, 0.3],
    [0, 0.15, 0.4],
  ];
  for (const [dx, dy, r] of puffs) circle(ctx, x + dx * s, y + dy * s, r * s, { fill });
};

/** A rolling horizon: a sine wave filled down to the bottom edge. */
export const hills = (
  scene: Scene,
  baseY: number,
  amplitude: number,
  waves: number,
  phase: number,
  fill: Fill,
): void => {
  const { ctx, w, h } = scene;
  ctx.beginPath();
  ctx.moveTo(0, h);
  for (let x = 0; x <= w + 8; x += 8) ctx.lineTo(x, baseY - amplitude * Math.sin((x / w) * waves * TAU + phase));
  ctx.lineTo(w, h);
  ctx.closePath();
  applyPaint(ctx, { fill });
};

export const tree = (ctx: Ctx, x: number, groundY: number, s: number, leaves: string): void => {
  box(ctx, x - s * 0.06, groundY - s * 0.5, s * 0.12, s * 0.5, { fill: '#6b4a32' });
  circle(ctx, x, groundY - s * 0.72, s * 0.32, { fill: leaves });
  circle(ctx, x - s * 0.2, groundY - s * 0.55, s * 0.22, { fill: leaves });
  circle(ctx, x + s * 0.2, groundY - s * 0.56, s * 0.24, { fill: leaves });
};

export const skyline = (scene: Scene, baseY: number, minH: number, maxH: number, color: string, lit?: string): void => {
  const { ctx, rng, w } = scene;
  let x = -rng() * 20;
  while (x < w) {
    const bw = between(rng, 28, 64);
    const bh = between(rng, minH, maxH);
    box(ctx, x, baseY - bh, bw, bh + 1, { fill: color });
    if (lit !== undefined) buildingWindows(scene, x, baseY - bh, bw, bh, lit);
    x += bw + between(rng, 2, 10);
  }
};

export const buildingWindows = (scene: Scene, x: number, y: number, w: number, h: number, lit: string): void => {
  for (let wy = y + 8; wy < y + h - 10; wy += 12) {
    for (let wx = x + 6; wx < x + w - 8; wx += 10) {
      if (scene.rng() < 0.35) box(scene.ctx, wx, wy, 5, 6, { fill: lit });
    }
  }
};

/** A four-pointed twinkle, the universal sign for "new and shiny". */
export const sparkle = (ctx: Ctx, x: number, y: number, r: number, fill: string): void => {
  const waist = r * 0.22;
  polygon(
    ctx,
    [
      [x, y - r],
      [x + waist, y - waist],
      [x + r, y],
      [x + waist, y + waist],
      [x, y + r],
      [x - waist, y + waist],
      [x - r, y],
      [x - waist, y - waist],
    ],
    { fill },
  );
};

export const flame = (ctx: Ctx, x: number, baseY: number, w: number, h: number, lean: number): void => {
  const layers: readonly (readonly [number, string])[] = [
    [1, '#e4432b'],
    [0.72, '#ff8a2a'],
    [0.42, '#ffd54a'],
  ];
  for (const [scale, color] of layers) {
    const lw = w * scale;
    const lh = h * scale;
    ctx.beginPath();
    ctx.moveTo(x - lw / 2, baseY);
    ctx.bezierCurveTo(
      x - lw / 2,
      baseY - lh * 0.55,
      x + lean * scale - lw * 0.25,
      baseY - lh * 0.6,
      x + lean * scale,
      baseY - lh,
    );
    ctx.bezierCurveTo(x + lean * scale + lw * 0.1, baseY - lh * 0.55, x + lw / 2, baseY - lh * 0.45, x + lw / 2, baseY);
    ctx.closePath();
    applyPaint(ctx, { fill: color });
  }
};

export const flameRow = (scene: Scene, x0: number, x1: number, baseY: number, minH: number, maxH: number): void => {
  for (let x = x0; x < x1; x += between(scene.rng, 22, 40)) {
    flame(scene.ctx, x, baseY, between(scene.rng, 40, 70), between(scene.rng, minH, maxH), between(scene.rng, -14, 14));
  }
};

export const smoke = (scene: Scene, y0: number, y1: number, count: number): void => {
  for (let index = 0; index < count; index++) {
    const shade = Math.round(between(scene.rng, 60, 110));
    circle(scene.ctx, scene.rng() * scene.w, between(scene.rng, y0, y1), between(scene.rng, 30, 70), {
      fill: `rgba(${shade},${shade - 6},${shade - 10},0.35)`,
    });
  }
};
