/**
 * Draws memelab's bundled meme templates and writes `templates/<id>/{image.jpg,template.json}`.
 *
 * All art is original and procedural (gradients, shapes and blob characters), so the whole
 * set can be published as CC0-1.0 with no third-party photographs or characters. Every
 * template draws from its own PRNG seeded by its id: reruns reproduce the same bytes, and
 * adding or reordering templates never changes the others.
 *
 * Run with `npm run templates:generate` (or `npx tsx templates/generate-templates.ts`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import {
  DEFAULT_TEXT_STYLE,
  type TemplateInput,
  type TextBoxInput,
  type TextStyle,
  templateSchema,
} from '../packages/core/src/index.ts';

// ---------------------------------------------------------------------------------------
// Determinism
// ---------------------------------------------------------------------------------------

type Rng = () => number;

/** mulberry32: tiny, fast and good enough for scattering stars and LEDs. */
const mulberry32 = (seed: number): Rng => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** FNV-1a, so each template's seed depends only on its id, not on its position in the list. */
const hashSeed = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

const between = (rng: Rng, min: number, max: number): number => min + (max - min) * rng();

const pick = <T>(rng: Rng, items: readonly T[]): T => {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('pick() needs a non-empty list');
  return item;
};

// ---------------------------------------------------------------------------------------
// Drawing primitives
// ---------------------------------------------------------------------------------------

type Ctx = SKRSContext2D;
type Fill = Ctx['fillStyle'];
type Point = readonly [number, number];

interface Paint {
  readonly fill?: Fill;
  readonly stroke?: Fill;
  readonly lineWidth?: number;
}

interface Scene {
  readonly ctx: Ctx;
  readonly w: number;
  readonly h: number;
  readonly rng: Rng;
}

const TAU = Math.PI * 2;
const INK = '#1b1b24';

const applyPaint = (ctx: Ctx, paint: Paint): void => {
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

const circle = (ctx: Ctx, x: number, y: number, r: number, paint: Paint): void => {
  ctx.beginPath();
  ctx.arc(x, y, Math.max(r, 0.1), 0, TAU);
  applyPaint(ctx, paint);
};

const oval = (ctx: Ctx, x: number, y: number, rx: number, ry: number, paint: Paint, rotation = 0): void => {
  ctx.beginPath();
  ctx.ellipse(x, y, Math.max(rx, 0.1), Math.max(ry, 0.1), rotation, 0, TAU);
  applyPaint(ctx, paint);
};

const box = (ctx: Ctx, x: number, y: number, w: number, h: number, paint: Paint, radius = 0): void => {
  ctx.beginPath();
  if (radius > 0) ctx.roundRect(x, y, w, h, radius);
  else ctx.rect(x, y, w, h);
  applyPaint(ctx, paint);
};

const polygon = (ctx: Ctx, points: readonly Point[], paint: Paint): void => {
  ctx.beginPath();
  for (const [x, y] of points) ctx.lineTo(x, y);
  ctx.closePath();
  applyPaint(ctx, paint);
};

const polyline = (ctx: Ctx, points: readonly Point[], color: Fill, width: number): void => {
  ctx.beginPath();
  for (const [x, y] of points) ctx.lineTo(x, y);
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.stroke();
};

const arcLine = (ctx: Ctx, x: number, y: number, r: number, from: number, to: number, color: Fill, width: number) => {
  ctx.beginPath();
  ctx.arc(x, y, r, from, to);
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.stroke();
};

type Stops = readonly (readonly [number, string])[];
type CanvasGradientLike = ReturnType<Ctx['createLinearGradient']>;

const addStops = (gradient: CanvasGradientLike, stops: Stops): CanvasGradientLike => {
  for (const [offset, color] of stops) gradient.addColorStop(offset, color);
  return gradient;
};

const linear = (ctx: Ctx, x0: number, y0: number, x1: number, y1: number, stops: Stops): Fill =>
  addStops(ctx.createLinearGradient(x0, y0, x1, y1), stops);

const radial = (ctx: Ctx, x: number, y: number, r0: number, r1: number, stops: Stops): Fill =>
  addStops(ctx.createRadialGradient(x, y, r0, x, y, r1), stops);

const verticalFill = (ctx: Ctx, x: number, y: number, w: number, h: number, stops: Stops): void =>
  box(ctx, x, y, w, h, { fill: linear(ctx, 0, y, 0, y + h, stops) });

/** A soft light source; drawn before the object that emits it. */
const glow = (ctx: Ctx, x: number, y: number, r: number, rgb: string, strength = 0.6): void =>
  circle(ctx, x, y, r, {
    fill: radial(ctx, x, y, 0, r, [
      [0, `rgba(${rgb},${strength})`],
      [1, `rgba(${rgb},0)`],
    ]),
  });

/** Runs `draw` in a frame moved to (x, y) and turned by `rotation` radians. */
const withFrame = (ctx: Ctx, x: number, y: number, rotation: number, draw: () => void): void => {
  ctx.save();
  ctx.translate(x, y);
  ctx.rotate(rotation);
  draw();
  ctx.restore();
};

const withClip = (ctx: Ctx, x: number, y: number, w: number, h: number, draw: () => void): void => {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  draw();
  ctx.restore();
};

// ---------------------------------------------------------------------------------------
// Scenery
// ---------------------------------------------------------------------------------------

const stars = (scene: Scene, x: number, y: number, w: number, h: number, count: number): void => {
  for (let index = 0; index < count; index++) {
    const alpha = between(scene.rng, 0.35, 1).toFixed(2);
    circle(scene.ctx, x + scene.rng() * w, y + scene.rng() * h, between(scene.rng, 0.6, 1.8), {
      fill: `rgba(255,255,240,${alpha})`,
    });
  }
};

const cloud = (ctx: Ctx, x: number, y: number, s: number, fill: Fill): void => {
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
const hills = (scene: Scene, baseY: number, amplitude: number, waves: number, phase: number, fill: Fill): void => {
  const { ctx, w, h } = scene;
  ctx.beginPath();
  ctx.moveTo(0, h);
  for (let x = 0; x <= w + 8; x += 8) ctx.lineTo(x, baseY - amplitude * Math.sin((x / w) * waves * TAU + phase));
  ctx.lineTo(w, h);
  ctx.closePath();
  applyPaint(ctx, { fill });
};

const tree = (ctx: Ctx, x: number, groundY: number, s: number, leaves: string): void => {
  box(ctx, x - s * 0.06, groundY - s * 0.5, s * 0.12, s * 0.5, { fill: '#6b4a32' });
  circle(ctx, x, groundY - s * 0.72, s * 0.32, { fill: leaves });
  circle(ctx, x - s * 0.2, groundY - s * 0.55, s * 0.22, { fill: leaves });
  circle(ctx, x + s * 0.2, groundY - s * 0.56, s * 0.24, { fill: leaves });
};

const skyline = (scene: Scene, baseY: number, minH: number, maxH: number, color: string, lit?: string): void => {
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

const buildingWindows = (scene: Scene, x: number, y: number, w: number, h: number, lit: string): void => {
  for (let wy = y + 8; wy < y + h - 10; wy += 12) {
    for (let wx = x + 6; wx < x + w - 8; wx += 10) {
      if (scene.rng() < 0.35) box(scene.ctx, wx, wy, 5, 6, { fill: lit });
    }
  }
};

/** A four-pointed twinkle, the universal sign for "new and shiny". */
const sparkle = (ctx: Ctx, x: number, y: number, r: number, fill: string): void => {
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

const flame = (ctx: Ctx, x: number, baseY: number, w: number, h: number, lean: number): void => {
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

const flameRow = (scene: Scene, x0: number, x1: number, baseY: number, minH: number, maxH: number): void => {
  for (let x = x0; x < x1; x += between(scene.rng, 22, 40)) {
    flame(scene.ctx, x, baseY, between(scene.rng, 40, 70), between(scene.rng, minH, maxH), between(scene.rng, -14, 14));
  }
};

const smoke = (scene: Scene, y0: number, y1: number, count: number): void => {
  for (let index = 0; index < count; index++) {
    const shade = Math.round(between(scene.rng, 60, 110));
    circle(scene.ctx, scene.rng() * scene.w, between(scene.rng, y0, y1), between(scene.rng, 30, 70), {
      fill: `rgba(${shade},${shade - 6},${shade - 10},0.35)`,
    });
  }
};

// ---------------------------------------------------------------------------------------
// Characters
// ---------------------------------------------------------------------------------------

type Mood = 'happy' | 'calm' | 'sad' | 'worried' | 'shocked' | 'smug' | 'angry' | 'sleepy' | 'starry';

const openEye = (ctx: Ctx, x: number, y: number, r: number, look: number, lineWidth: number): void => {
  circle(ctx, x, y, r, { fill: '#ffffff', stroke: INK, lineWidth });
  circle(ctx, x + look * r * 0.4, y + r * 0.1, r * 0.55, { fill: INK });
  circle(ctx, x + look * r * 0.4 - r * 0.18, y - r * 0.12, r * 0.17, { fill: '#ffffff' });
};

const eyes = (ctx: Ctx, x: number, y: number, s: number, mood: Mood, look: number): void => {
  const dx = s * 0.22;
  const r = mood === 'shocked' ? s * 0.15 : s * 0.11;
  const lw = s * 0.03;
  for (const side of [-1, 1]) {
    const ex = x + side * dx;
    if (mood === 'calm' || mood === 'happy') arcLine(ctx, ex, y + r * 0.4, r, Math.PI * 1.15, Math.PI * 1.85, INK, lw);
    else if (mood === 'sleepy') arcLine(ctx, ex, y - r * 0.4, r, Math.PI * 0.15, Math.PI * 0.85, INK, lw);
    else if (mood === 'starry') sparkle(ctx, ex, y, r * 1.3, '#ffd23f');
    else openEye(ctx, ex, y, r, look, lw);
  }
};

/** Eyebrows carry most of the emotion: inner ends up reads as worry, down as anger. */
const brows = (ctx: Ctx, x: number, y: number, s: number, mood: Mood): void => {
  const tilt = mood === 'worried' || mood === 'sad' ? -1 : mood === 'angry' ? 1 : 0;
  if (tilt === 0) return;
  for (const side of [-1, 1]) {
    const ex = x + side * s * 0.22;
    const by = y - s * 0.22;
    polyline(
      ctx,
      [
        [ex - side * s * 0.12, by + tilt * s * 0.05],
        [ex + side * s * 0.1, by - tilt * s * 0.04],
      ],
      INK,
      s * 0.035,
    );
  }
};

const mouth = (ctx: Ctx, x: number, y: number, s: number, mood: Mood): void => {
  const lw = s * 0.035;
  switch (mood) {
    case 'happy':
    case 'starry':
      ctx.beginPath();
      ctx.arc(x, y - s * 0.04, s * 0.2, Math.PI * 0.1, Math.PI * 0.9);
      ctx.closePath();
      applyPaint(ctx, { fill: '#7a2b36', stroke: INK, lineWidth: lw });
      return;
    case 'calm':
      arcLine(ctx, x, y - s * 0.06, s * 0.14, Math.PI * 0.2, Math.PI * 0.8, INK, lw);
      return;
    case 'sad':
    case 'angry':
      arcLine(ctx, x, y + s * 0.14, s * 0.15, Math.PI * 1.25, Math.PI * 1.75, INK, lw);
      return;
    case 'worried':
      polyline(ctx, wavyLine(x - s * 0.16, y, s * 0.32, s * 0.03), INK, lw);
      return;
    case 'shocked':
      oval(ctx, x, y + s * 0.02, s * 0.08, s * 0.11, { fill: '#7a2b36', stroke: INK, lineWidth: lw });
      return;
    case 'smug':
      ctx.beginPath();
      ctx.moveTo(x - s * 0.14, y);
      ctx.quadraticCurveTo(x + s * 0.02, y + s * 0.06, x + s * 0.17, y - s * 0.07);
      applyPaint(ctx, { stroke: INK, lineWidth: lw });
      return;
    case 'sleepy':
      oval(ctx, x, y, s * 0.05, s * 0.04, { fill: INK });
      return;
  }
};

const wavyLine = (x: number, y: number, w: number, amplitude: number): Point[] =>
  Array.from({ length: 9 }, (_, index): Point => [x + (w * index) / 8, y + (index % 2 === 0 ? -amplitude : amplitude)]);

/** A face centred at (x, y) about `s` px wide; `look` (-1..1) shifts the pupils. */
const face = (ctx: Ctx, x: number, y: number, s: number, mood: Mood, look = 0): void => {
  eyes(ctx, x, y - s * 0.1, s, mood, look);
  brows(ctx, x, y - s * 0.1, s, mood);
  mouth(ctx, x, y + s * 0.2, s, mood);
};

interface BlobSpec {
  /** Feet position: centre x, ground y. */
  readonly x: number;
  readonly y: number;
  readonly size: number;
  readonly color: string;
  readonly mood: Mood;
  readonly look?: number;
  readonly lean?: number;
  /** Arm angles in radians from hanging down (0) through sideways (π/2) to up (π). */
  readonly arms?: readonly [number, number];
  readonly legs?: boolean;
  readonly blush?: boolean;
}

const blobLegs = (ctx: Ctx, s: number, color: string): void => {
  for (const side of [-1, 1]) {
    polyline(
      ctx,
      [
        [side * s * 0.12, -s * 0.2],
        [side * s * 0.14, -s * 0.03],
      ],
      INK,
      s * 0.05,
    );
    oval(ctx, side * s * 0.17, -s * 0.02, s * 0.08, s * 0.035, { fill: color, stroke: INK, lineWidth: s * 0.02 });
  }
};

const blobArms = (ctx: Ctx, s: number, bodyW: number, color: string, arms: readonly [number, number]): void => {
  arms.forEach((angle, index) => {
    const side = index === 0 ? -1 : 1;
    const shoulder: Point = [side * bodyW * 0.42, -s * 0.52];
    const hand: Point = [shoulder[0] + side * Math.sin(angle) * s * 0.3, shoulder[1] + Math.cos(angle) * s * 0.3];
    polyline(ctx, [shoulder, hand], INK, s * 0.045);
    circle(ctx, hand[0], hand[1], s * 0.045, { fill: color, stroke: INK, lineWidth: s * 0.018 });
  });
};

/** The house character: a rounded bean with a face, stubby limbs and a lot of feelings. */
const blob = (ctx: Ctx, spec: BlobSpec): void => {
  const s = spec.size;
  const bodyW = s * 0.62;
  withFrame(ctx, spec.x, spec.y, spec.lean ?? 0, () => {
    if (spec.legs !== false) blobLegs(ctx, s, spec.color);
    box(ctx, -bodyW / 2, -s, bodyW, s * 0.82, { fill: spec.color, stroke: INK, lineWidth: s * 0.022 }, bodyW * 0.48);
    oval(ctx, -bodyW * 0.18, -s * 0.82, bodyW * 0.12, s * 0.06, { fill: 'rgba(255,255,255,0.35)' }, -0.5);
    if (spec.blush === true) {
      for (const side of [-1, 1]) oval(ctx, side * bodyW * 0.3, -s * 0.62, s * 0.05, s * 0.025, { fill: '#ff8fa3' });
    }
    face(ctx, 0, -s * 0.7, bodyW * 0.85, spec.mood, spec.look ?? 0);
    if (spec.arms !== undefined) blobArms(ctx, s, bodyW, spec.color, spec.arms);
  });
};

const sweatDrop = (ctx: Ctx, x: number, y: number, s: number): void => {
  ctx.beginPath();
  ctx.moveTo(x, y - s);
  ctx.quadraticCurveTo(x + s * 0.7, y, x, y + s * 0.5);
  ctx.quadraticCurveTo(x - s * 0.7, y, x, y - s);
  applyPaint(ctx, { fill: '#8fd3ff', stroke: '#2f7fb8', lineWidth: 1.5 });
};

type Verdict = 'no' | 'yes';

const robotHead = (ctx: Ctx, s: number, verdict: Verdict): void => {
  polyline(
    ctx,
    [
      [0, -s * 0.36],
      [0, -s * 0.5],
    ],
    INK,
    s * 0.02,
  );
  circle(ctx, 0, -s * 0.52, s * 0.035, { fill: verdict === 'no' ? '#ff5a4f' : '#3ddc84', stroke: INK, lineWidth: 2 });
  box(ctx, -s * 0.26, -s * 0.38, s * 0.52, s * 0.36, { fill: '#c3ccda', stroke: INK, lineWidth: s * 0.015 }, s * 0.07);
  box(ctx, -s * 0.2, -s * 0.31, s * 0.4, s * 0.23, { fill: '#23293a' }, s * 0.05);
  for (const side of [-1, 1])
    box(ctx, side * s * 0.27 - s * 0.025, -s * 0.26, s * 0.05, s * 0.12, { fill: '#8c97aa' }, 4);
  const glowColor = verdict === 'no' ? '#ff7a6e' : '#6ff0b0';
  if (verdict === 'no') {
    for (const side of [-1, 1]) {
      const ex = side * s * 0.09;
      polyline(
        ctx,
        [
          [ex - s * 0.045, -s * 0.245 - side * 0.012 * s],
          [ex + s * 0.045, -s * 0.245 + side * 0.012 * s],
        ],
        glowColor,
        s * 0.03,
      );
    }
    arcLine(ctx, 0, -s * 0.1, s * 0.07, Math.PI * 1.2, Math.PI * 1.8, glowColor, s * 0.022);
  } else {
    for (const side of [-1, 1])
      arcLine(ctx, side * s * 0.09, -s * 0.22, s * 0.045, Math.PI * 1.1, Math.PI * 1.9, glowColor, s * 0.025);
    arcLine(ctx, 0, -s * 0.2, s * 0.08, Math.PI * 0.2, Math.PI * 0.8, glowColor, s * 0.022);
  }
};

/** Curved strokes either side of (or above and below) the head: shaking vs nodding. */
const motionMarks = (ctx: Ctx, x: number, y: number, s: number, verdict: Verdict): void => {
  for (let ring = 0; ring < 2; ring++) {
    const r = s * (0.36 + ring * 0.07);
    if (verdict === 'no') {
      arcLine(ctx, x, y, r, Math.PI * 0.88, Math.PI * 1.12, INK, s * 0.018);
      arcLine(ctx, x, y, r, -Math.PI * 0.12, Math.PI * 0.12, INK, s * 0.018);
    } else {
      arcLine(ctx, x, y, r, Math.PI * 1.12, Math.PI * 1.3, INK, s * 0.018);
      arcLine(ctx, x, y, r, Math.PI * 1.7, Math.PI * 1.88, INK, s * 0.018);
    }
  }
};

const robotArm = (ctx: Ctx, x: number, y: number, s: number, verdict: Verdict): void => {
  const shoulder: Point = [x + s * 0.28, y - s * 0.42];
  const hand: Point = verdict === 'no' ? [x + s * 0.48, y - s * 0.62] : [x + s * 0.46, y - s * 0.38];
  polyline(ctx, [shoulder, hand], '#8c97aa', s * 0.06);
  if (verdict === 'no') {
    // An open palm held up: "stop right there".
    box(
      ctx,
      hand[0] - s * 0.07,
      hand[1] - s * 0.14,
      s * 0.14,
      s * 0.16,
      { fill: '#c3ccda', stroke: INK, lineWidth: 2 },
      s * 0.03,
    );
    for (let finger = 0; finger < 4; finger++) {
      const fx = hand[0] - s * 0.055 + finger * s * 0.037;
      box(ctx, fx, hand[1] - s * 0.2, s * 0.03, s * 0.08, { fill: '#c3ccda', stroke: INK, lineWidth: 1.5 }, s * 0.015);
    }
  } else {
    circle(ctx, hand[0], hand[1], s * 0.065, { fill: '#c3ccda', stroke: INK, lineWidth: 2 });
    box(
      ctx,
      hand[0] - s * 0.02,
      hand[1] - s * 0.16,
      s * 0.045,
      s * 0.12,
      { fill: '#c3ccda', stroke: INK, lineWidth: 2 },
      s * 0.02,
    );
  }
};

const robot = (ctx: Ctx, x: number, groundY: number, s: number, verdict: Verdict): void => {
  box(ctx, x - s * 0.3, groundY - s * 0.08, s * 0.6, s * 0.08, { fill: '#3b4357' }, s * 0.03);
  box(
    ctx,
    x - s * 0.28,
    groundY - s * 0.55,
    s * 0.56,
    s * 0.48,
    { fill: '#aab5c6', stroke: INK, lineWidth: s * 0.015 },
    s * 0.08,
  );
  box(ctx, x - s * 0.14, groundY - s * 0.45, s * 0.28, s * 0.16, { fill: '#23293a' }, s * 0.03);
  const lights = verdict === 'no' ? ['#ff5a4f', '#ffb020', '#ff5a4f'] : ['#3ddc84', '#3ddc84', '#4aa8ff'];
  for (const [index, color] of lights.entries()) {
    circle(ctx, x - s * 0.07 + index * s * 0.07, groundY - s * 0.37, s * 0.025, { fill: color });
  }
  box(ctx, x - s * 0.05, groundY - s * 0.6, s * 0.1, s * 0.06, { fill: '#8c97aa' });
  const neckY = groundY - s * 0.58;
  withFrame(ctx, x, neckY, verdict === 'no' ? -0.18 : 0.12, () => robotHead(ctx, s, verdict));
  motionMarks(ctx, x, neckY - s * 0.2, s, verdict);
  robotArm(ctx, x, groundY, s, verdict);
};

interface CatSpec {
  readonly x: number;
  readonly y: number;
  readonly s: number;
  readonly fur: string;
  readonly stripes: string;
  readonly mood: 'smug' | 'sleepy';
}

const catEars = (ctx: Ctx, hx: number, hy: number, r: number, fur: string): void => {
  for (const side of [-1, 1]) {
    polygon(
      ctx,
      [
        [hx + side * r * 0.85, hy - r * 0.35],
        [hx + side * r * 0.75, hy - r * 1.25],
        [hx + side * r * 0.2, hy - r * 0.85],
      ],
      { fill: fur, stroke: INK, lineWidth: r * 0.06 },
    );
    polygon(
      ctx,
      [
        [hx + side * r * 0.72, hy - r * 0.5],
        [hx + side * r * 0.68, hy - r * 1.0],
        [hx + side * r * 0.35, hy - r * 0.8],
      ],
      { fill: '#f7a8b8' },
    );
  }
};

const catFace = (ctx: Ctx, hx: number, hy: number, r: number, mood: CatSpec['mood']): void => {
  for (const side of [-1, 1]) {
    const ex = hx + side * r * 0.38;
    if (mood === 'sleepy') arcLine(ctx, ex, hy - r * 0.15, r * 0.16, Math.PI * 0.15, Math.PI * 0.85, INK, r * 0.07);
    else {
      oval(ctx, ex, hy - r * 0.08, r * 0.15, r * 0.17, { fill: '#c8e64c', stroke: INK, lineWidth: r * 0.05 });
      oval(ctx, ex, hy - r * 0.08, r * 0.05, r * 0.14, { fill: INK });
      // Half-closed lids make the stare smug rather than startled.
      box(ctx, ex - r * 0.17, hy - r * 0.27, r * 0.34, r * 0.12, { fill: INK });
    }
    for (const tilt of [-0.12, 0.12]) {
      polyline(
        ctx,
        [
          [hx + side * r * 0.3, hy + r * 0.25 + tilt * r],
          [hx + side * r * 1.15, hy + r * 0.2 + tilt * r * 2.5],
        ],
        INK,
        r * 0.03,
      );
    }
  }
  polygon(
    ctx,
    [
      [hx - r * 0.09, hy + r * 0.12],
      [hx + r * 0.09, hy + r * 0.12],
      [hx, hy + r * 0.22],
    ],
    { fill: '#f07a92' },
  );
  arcLine(ctx, hx - r * 0.08, hy + r * 0.24, r * 0.08, 0, Math.PI, INK, r * 0.045);
  arcLine(ctx, hx + r * 0.08, hy + r * 0.24, r * 0.08, 0, Math.PI, INK, r * 0.045);
};

/** A loaf-shaped cat lying down, head on the left, tail curling up on the right. */
const cat = (ctx: Ctx, spec: CatSpec): void => {
  const { x, y, s, fur, stripes } = spec;
  ctx.beginPath();
  ctx.moveTo(x + s * 0.5, y - s * 0.05);
  ctx.bezierCurveTo(x + s * 0.85, y - s * 0.1, x + s * 0.8, y - s * 0.5, x + s * 0.62, y - s * 0.55);
  applyPaint(ctx, { stroke: INK, lineWidth: s * 0.11 });
  ctx.beginPath();
  ctx.moveTo(x + s * 0.5, y - s * 0.05);
  ctx.bezierCurveTo(x + s * 0.85, y - s * 0.1, x + s * 0.8, y - s * 0.5, x + s * 0.62, y - s * 0.55);
  applyPaint(ctx, { stroke: fur, lineWidth: s * 0.07 });
  oval(ctx, x, y - s * 0.2, s * 0.55, s * 0.24, { fill: fur, stroke: INK, lineWidth: s * 0.02 });
  ctx.save();
  ctx.beginPath();
  ctx.ellipse(x, y - s * 0.2, s * 0.55, s * 0.24, 0, 0, TAU);
  ctx.clip();
  for (let stripe = 0; stripe < 4; stripe++) {
    arcLine(
      ctx,
      x - s * 0.05 + stripe * s * 0.14,
      y + s * 0.05,
      s * 0.3,
      Math.PI * 1.3,
      Math.PI * 1.55,
      stripes,
      s * 0.04,
    );
  }
  ctx.restore();
  for (const px of [-0.45, -0.25])
    oval(ctx, x + px * s, y - s * 0.01, s * 0.09, s * 0.05, { fill: fur, stroke: INK, lineWidth: s * 0.015 });
  const hx = x - s * 0.45;
  const hy = y - s * 0.38;
  const r = s * 0.24;
  catEars(ctx, hx, hy, r, fur);
  circle(ctx, hx, hy, r, { fill: fur, stroke: INK, lineWidth: s * 0.02 });
  catFace(ctx, hx, hy, r, spec.mood);
};

/** The debugging partner everyone needs: listens, never interrupts. */
const duck = (ctx: Ctx, x: number, y: number, s: number, facing: -1 | 1): void => {
  oval(ctx, x, y + s * 0.04, s * 0.55, s * 0.08, { fill: 'rgba(0,0,0,0.18)' });
  ctx.beginPath();
  ctx.moveTo(x - facing * s * 0.42, y - s * 0.3);
  ctx.quadraticCurveTo(x - facing * s * 0.62, y - s * 0.52, x - facing * s * 0.56, y - s * 0.2);
  ctx.closePath();
  applyPaint(ctx, { fill: '#ffd23f', stroke: '#c98f00', lineWidth: s * 0.015 });
  oval(ctx, x, y - s * 0.22, s * 0.5, s * 0.24, { fill: '#ffd23f', stroke: '#c98f00', lineWidth: s * 0.015 });
  oval(ctx, x - facing * s * 0.08, y - s * 0.24, s * 0.24, s * 0.11, { fill: '#f5bf1d' }, facing * 0.25);
  const hx = x + facing * s * 0.24;
  const hy = y - s * 0.6;
  circle(ctx, hx, hy, s * 0.24, { fill: '#ffd23f', stroke: '#c98f00', lineWidth: s * 0.015 });
  oval(
    ctx,
    hx + facing * s * 0.25,
    hy + s * 0.05,
    s * 0.15,
    s * 0.06,
    { fill: '#ff8c2a', stroke: '#c4601a', lineWidth: s * 0.012 },
    facing * 0.12,
  );
  circle(ctx, hx + facing * s * 0.08, hy - s * 0.06, s * 0.045, { fill: INK });
  circle(ctx, hx + facing * s * 0.065, hy - s * 0.075, s * 0.015, { fill: '#ffffff' });
  oval(ctx, hx - facing * s * 0.08, hy - s * 0.12, s * 0.06, s * 0.03, { fill: 'rgba(255,255,255,0.55)' }, -0.4);
};

// ---------------------------------------------------------------------------------------
// Props
// ---------------------------------------------------------------------------------------

const LED = { green: '#3ddc84', amber: '#ffb020', blue: '#4aa8ff', red: '#ff3b30' } as const;

const serverUnit = (scene: Scene, x: number, y: number, w: number, h: number, alert: boolean): void => {
  const { ctx, rng } = scene;
  box(ctx, x, y, w, h, { fill: '#2a3142', stroke: '#394259', lineWidth: 1 }, 2);
  for (let vent = 0; vent < 5; vent++)
    box(ctx, x + w * 0.05 + vent * w * 0.03, y + h * 0.25, w * 0.012, h * 0.5, { fill: '#171b25' });
  if (rng() < 0.6) {
    for (let bay = 0; bay < 4; bay++)
      box(ctx, x + w * 0.28 + bay * w * 0.1, y + h * 0.22, w * 0.08, h * 0.56, { fill: '#3a4358' }, 1);
  }
  const ledR = Math.min(h * 0.13, 4);
  for (let led = 0; led < 3; led++) {
    const color = alert && led === 0 ? LED.red : pick(rng, [LED.green, LED.green, LED.green, LED.amber, LED.blue]);
    const lx = x + w * 0.78 + led * w * 0.07;
    if (color === LED.red) glow(ctx, lx, y + h / 2, h * 1.6, '255,59,48', 0.5);
    circle(ctx, lx, y + h / 2, ledR, { fill: color });
  }
};

const serverRack = (
  scene: Scene,
  x: number,
  y: number,
  w: number,
  h: number,
  units: number,
  alerts: readonly number[] = [],
) => {
  const { ctx } = scene;
  box(ctx, x, y, w, h, { fill: '#141925', stroke: '#46506a', lineWidth: 3 }, 6);
  const pad = w * 0.07;
  const unitH = (h - pad * 2) / units;
  for (let unit = 0; unit < units; unit++) {
    serverUnit(scene, x + pad, y + pad + unit * unitH + 1, w - pad * 2, unitH - 2, alerts.includes(unit));
  }
};

const codeLines = (scene: Scene, x: number, y: number, w: number, h: number, palette: readonly string[]): void => {
  const rowH = Math.max(8, h / 14);
  for (let row = 0; row * rowH < h - rowH; row++) {
    let cx = x + w * 0.05 + (Math.floor(scene.rng() * 4) * w) / 16;
    const end = x + w * between(scene.rng, 0.45, 0.92);
    while (cx < end) {
      const segment = between(scene.rng, w * 0.05, w * 0.16);
      box(
        scene.ctx,
        cx,
        y + row * rowH + rowH * 0.3,
        Math.min(segment, end - cx),
        rowH * 0.45,
        { fill: pick(scene.rng, palette) },
        2,
      );
      cx += segment + w * 0.02;
    }
  }
};

const monitor = (scene: Scene, x: number, y: number, w: number, h: number, palette: readonly string[]): void => {
  const { ctx } = scene;
  polygon(
    ctx,
    [
      [x + w * 0.44, y + h],
      [x + w * 0.56, y + h],
      [x + w * 0.6, y + h * 1.14],
      [x + w * 0.4, y + h * 1.14],
    ],
    { fill: '#3a3d48' },
  );
  oval(ctx, x + w / 2, y + h * 1.15, w * 0.18, h * 0.03, { fill: '#2b2d36' });
  box(ctx, x, y, w, h, { fill: '#23252e', stroke: '#111217', lineWidth: 2 }, w * 0.03);
  const inset = w * 0.04;
  box(ctx, x + inset, y + inset, w - inset * 2, h - inset * 2, { fill: '#1a1e2c' }, 4);
  codeLines(scene, x + inset, y + inset * 1.5, w - inset * 2, h - inset * 3, palette);
};

const keyboard = (ctx: Ctx, x: number, y: number, w: number, h: number): void => {
  box(ctx, x, y, w, h, { fill: '#c9cdd6', stroke: '#8f95a3', lineWidth: 2 }, h * 0.12);
  const cols = 14;
  const rows = 4;
  const kw = (w * 0.94) / cols;
  const kh = (h * 0.84) / rows;
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      box(ctx, x + w * 0.03 + col * kw + 1, y + h * 0.08 + row * kh + 1, kw - 2, kh - 2, { fill: '#f2f3f6' }, 2);
    }
  }
};

const mug = (ctx: Ctx, x: number, bottomY: number, s: number, color: string, steam: boolean): void => {
  arcLine(ctx, x + s * 0.5, bottomY - s * 0.5, s * 0.22, -Math.PI / 2, Math.PI / 2, color, s * 0.09);
  box(ctx, x - s / 2, bottomY - s, s, s, { fill: color, stroke: 'rgba(0,0,0,0.35)', lineWidth: 1.5 }, s * 0.12);
  oval(ctx, x, bottomY - s * 0.94, s * 0.42, s * 0.07, { fill: '#4a2c1d' });
  if (!steam) return;
  for (const dx of [-0.2, 0.05, 0.3]) {
    ctx.beginPath();
    ctx.moveTo(x + dx * s, bottomY - s * 1.1);
    ctx.bezierCurveTo(
      x + (dx - 0.15) * s,
      bottomY - s * 1.35,
      x + (dx + 0.15) * s,
      bottomY - s * 1.5,
      x + dx * s,
      bottomY - s * 1.75,
    );
    applyPaint(ctx, { stroke: 'rgba(255,255,255,0.6)', lineWidth: s * 0.06 });
  }
};

const desk = (ctx: Ctx, x: number, y: number, w: number, h: number): void => {
  box(ctx, x, y, w, h * 0.12, { fill: '#a8703f' }, 3);
  box(ctx, x, y + h * 0.1, w, h * 0.9, {
    fill: linear(ctx, 0, y, 0, y + h, [
      [0, '#8a5a31'],
      [1, '#6b4426'],
    ]),
  });
};

/** A ship's wheel: the sailing-themed logo every orchestrator seems to want. */
const shipWheel = (ctx: Ctx, x: number, y: number, r: number, color: string, spokes: number): void => {
  for (let spoke = 0; spoke < spokes; spoke++) {
    const angle = (spoke / spokes) * TAU - Math.PI / 2;
    const tip: Point = [x + Math.cos(angle) * r * 1.28, y + Math.sin(angle) * r * 1.28];
    polyline(ctx, [[x, y], tip], color, r * 0.09);
    circle(ctx, tip[0], tip[1], r * 0.09, { fill: color });
  }
  circle(ctx, x, y, r, { stroke: color, lineWidth: r * 0.13 });
  circle(ctx, x, y, r * 0.22, { fill: color });
};

const containerShip = (scene: Scene, x: number, waterY: number, w: number): void => {
  const { ctx, rng } = scene;
  const h = w * 0.16;
  const colors = ['#e85d4f', '#3f8efc', '#f2b134', '#2bb673', '#8e6bd8', '#f07fb0'];
  for (let tier = 0; tier < 2; tier++) {
    const cw = w * 0.1;
    for (let slot = 0; slot < 7 - tier; slot++) {
      const cx = x + w * 0.14 + slot * cw + tier * cw * 0.5;
      box(ctx, cx, waterY - h * 0.55 - (tier + 1) * h * 0.42, cw - 2, h * 0.4, { fill: pick(rng, colors) }, 1);
    }
  }
  box(ctx, x + w * 0.82, waterY - h * 1.75, w * 0.09, h * 1.2, { fill: '#f2ece4' }, 2);
  polygon(
    ctx,
    [
      [x, waterY - h * 0.6],
      [x + w, waterY - h * 0.6],
      [x + w * 0.92, waterY + h * 0.15],
      [x + w * 0.06, waterY + h * 0.15],
    ],
    { fill: '#2a2140' },
  );
};

const bigButton = (ctx: Ctx, x: number, y: number, r: number, top: string, side: string): void => {
  oval(ctx, x, y + r * 0.32, r * 1.3, r * 0.6, { fill: '#2b2f3a' });
  oval(ctx, x, y + r * 0.22, r * 1.02, r * 0.5, { fill: side });
  box(ctx, x - r * 1.02, y - r * 0.1, r * 2.04, r * 0.32, { fill: side });
  oval(ctx, x, y - r * 0.1, r * 1.02, r * 0.5, {
    fill: radial(ctx, x - r * 0.3, y - r * 0.3, 0, r * 1.2, [
      [0, '#ffffff'],
      [0.25, top],
      [1, side],
    ]),
  });
  oval(ctx, x - r * 0.35, y - r * 0.25, r * 0.3, r * 0.1, { fill: 'rgba(255,255,255,0.55)' }, -0.2);
};

const hazardStripes = (ctx: Ctx, x: number, y: number, w: number, h: number): void => {
  withClip(ctx, x, y, w, h, () => {
    box(ctx, x, y, w, h, { fill: '#ffcc1f' });
    for (let sx = x - h; sx < x + w + h; sx += h * 1.6) {
      polygon(
        ctx,
        [
          [sx, y + h],
          [sx + h * 0.8, y + h],
          [sx + h * 1.6, y],
          [sx + h * 0.8, y],
        ],
        { fill: '#1f1f24' },
      );
    }
  });
};

/** Glass level 0 is off; each level adds warmth, a bigger halo and more rays. */
const lightbulb = (scene: Scene, x: number, y: number, s: number, level: number): void => {
  const { ctx } = scene;
  if (level > 0) {
    glow(
      ctx,
      x,
      y - s * 0.12,
      s * (0.5 + level * 0.35),
      level === 3 ? '200,170,255' : '255,220,120',
      0.35 + level * 0.15,
    );
    const rays = [0, 8, 12, 20][level] ?? 0;
    for (let ray = 0; ray < rays; ray++) {
      const angle = (ray / rays) * TAU;
      const inner = s * 0.42;
      const outer = s * (0.52 + level * 0.12);
      const color = level === 3 ? `hsl(${Math.round((ray / rays) * 360)},90%,70%)` : '#ffd54a';
      polyline(
        ctx,
        [
          [x + Math.cos(angle) * inner, y - s * 0.12 + Math.sin(angle) * inner],
          [x + Math.cos(angle) * outer, y - s * 0.12 + Math.sin(angle) * outer],
        ],
        color,
        s * 0.035,
      );
    }
  }
  const glass = ['#d9dce2', '#fff1a8', '#ffe066', '#ffffff'][level] ?? '#d9dce2';
  polygon(
    ctx,
    [
      [x - s * 0.16, y + s * 0.08],
      [x + s * 0.16, y + s * 0.08],
      [x + s * 0.11, y + s * 0.24],
      [x - s * 0.11, y + s * 0.24],
    ],
    { fill: glass, stroke: INK, lineWidth: s * 0.02 },
  );
  circle(ctx, x, y - s * 0.12, s * 0.3, { fill: glass, stroke: INK, lineWidth: s * 0.02 });
  polyline(ctx, wavyLine(x - s * 0.1, y - s * 0.08, s * 0.2, s * 0.035), level > 0 ? '#ff8a2a' : '#8a8f99', s * 0.022);
  oval(ctx, x - s * 0.12, y - s * 0.24, s * 0.05, s * 0.09, { fill: 'rgba(255,255,255,0.8)' }, 0.5);
  for (let thread = 0; thread < 3; thread++) {
    box(
      ctx,
      x - s * 0.11,
      y + s * (0.24 + thread * 0.055),
      s * 0.22,
      s * 0.05,
      { fill: '#9aa0ab', stroke: INK, lineWidth: s * 0.012 },
      s * 0.02,
    );
  }
  polygon(
    ctx,
    [
      [x - s * 0.07, y + s * 0.405],
      [x + s * 0.07, y + s * 0.405],
      [x, y + s * 0.46],
    ],
    { fill: INK },
  );
};

const pagerDevice = (ctx: Ctx, x: number, y: number, w: number, h: number): void => {
  glow(ctx, x + w / 2, y + h / 2, w * 1.4, '255,70,60', 0.45);
  for (const side of [-1, 1]) {
    for (let ring = 1; ring <= 3; ring++) {
      const r = w * (0.45 + ring * 0.16);
      const centre = side < 0 ? Math.PI : 0;
      arcLine(ctx, x + w / 2, y + h / 2, r, centre - 0.45, centre + 0.45, '#ffb3ab', 3);
    }
  }
  box(ctx, x, y, w, h, { fill: '#2b2d35', stroke: '#0f1014', lineWidth: 2 }, h * 0.18);
  box(ctx, x + w * 0.08, y + h * 0.14, w * 0.84, h * 0.5, { fill: '#b5ff9c' }, 4);
  // A chunky pixel-art "!" so the alert reads without rendering any text.
  box(ctx, x + w * 0.46, y + h * 0.2, w * 0.08, h * 0.24, { fill: '#d7261e' });
  box(ctx, x + w * 0.46, y + h * 0.49, w * 0.08, h * 0.08, { fill: '#d7261e' });
  for (let bar = 0; bar < 2; bar++)
    box(ctx, x + w * (0.14 + bar * 0.53), y + h * 0.3, w * 0.2, h * 0.07, { fill: '#2d6b23' });
  for (let button = 0; button < 3; button++)
    circle(ctx, x + w * (0.3 + button * 0.2), y + h * 0.8, h * 0.07, { fill: '#5a5d68' });
};

const carRear = (ctx: Ctx, x: number, y: number, w: number, color: string): void => {
  const h = w * 0.62;
  for (const side of [-1, 1])
    box(ctx, x + side * w * 0.36 - w * 0.09, y - h * 0.2, w * 0.18, h * 0.24, { fill: '#15161b' }, 4);
  polygon(
    ctx,
    [
      [x - w * 0.34, y - h * 0.55],
      [x - w * 0.24, y - h * 0.95],
      [x + w * 0.24, y - h * 0.95],
      [x + w * 0.34, y - h * 0.55],
    ],
    { fill: color, stroke: INK, lineWidth: 2 },
  );
  polygon(
    ctx,
    [
      [x - w * 0.28, y - h * 0.58],
      [x - w * 0.21, y - h * 0.88],
      [x + w * 0.21, y - h * 0.88],
      [x + w * 0.28, y - h * 0.58],
    ],
    { fill: '#2c3e5c' },
  );
  box(ctx, x - w / 2, y - h * 0.6, w, h * 0.48, { fill: color, stroke: INK, lineWidth: 2 }, w * 0.08);
  for (const side of [-1, 1])
    box(ctx, x + side * w * 0.38 - w * 0.08, y - h * 0.48, w * 0.16, h * 0.1, { fill: '#ff3b30' }, 3);
  box(ctx, x - w * 0.12, y - h * 0.4, w * 0.24, h * 0.12, { fill: '#f4f4f4', stroke: INK, lineWidth: 1.5 }, 2);
};

const upArrow = (ctx: Ctx, x: number, y: number, s: number): void => {
  polygon(
    ctx,
    [
      [x, y - s * 0.5],
      [x + s * 0.32, y - s * 0.12],
      [x + s * 0.1, y - s * 0.12],
      [x + s * 0.1, y + s * 0.5],
      [x - s * 0.1, y + s * 0.5],
      [x - s * 0.1, y - s * 0.12],
      [x - s * 0.32, y - s * 0.12],
    ],
    { fill: '#ffffff' },
  );
};

const exitArrow = (ctx: Ctx, x: number, y: number, s: number): void => {
  ctx.beginPath();
  ctx.moveTo(x - s * 0.2, y + s * 0.5);
  ctx.quadraticCurveTo(x - s * 0.2, y - s * 0.05, x + s * 0.2, y - s * 0.25);
  applyPaint(ctx, { stroke: '#ffffff', lineWidth: s * 0.2 });
  polygon(
    ctx,
    [
      [x + s * 0.45, y - s * 0.42],
      [x + s * 0.08, y - s * 0.46],
      [x + s * 0.3, y - s * 0.05],
    ],
    { fill: '#ffffff' },
  );
};

const dashboardScreen = (scene: Scene, x: number, y: number, w: number, h: number): void => {
  const { ctx, rng } = scene;
  box(ctx, x - 6, y - 6, w + 12, h + 12, { fill: '#22242c' }, 8);
  box(ctx, x, y, w, h, { fill: '#101624' }, 4);
  const panelW = (w - 30) / 3;
  for (let panel = 0; panel < 3; panel++) {
    const px = x + 8 + panel * (panelW + 7);
    box(ctx, px, y + 8, panelW, h * 0.5, { fill: '#182136' }, 4);
    box(ctx, px, y + h * 0.5 + 16, panelW, h * 0.5 - 24, { fill: '#182136' }, 4);
    const points: Point[] = Array.from(
      { length: 12 },
      (_, index): Point => [
        px + 6 + (index * (panelW - 12)) / 11,
        y + h * 0.3 + Math.sin(index * 0.9 + panel) * h * 0.06 - rng() * h * 0.05,
      ],
    );
    polyline(ctx, points, '#3ddc84', 2.5);
    checkBadge(ctx, px + panelW / 2, y + h * 0.76, h * 0.13);
  }
};

const checkBadge = (ctx: Ctx, x: number, y: number, r: number): void => {
  circle(ctx, x, y, r, { fill: '#1f9d55' });
  polyline(
    ctx,
    [
      [x - r * 0.45, y + r * 0.02],
      [x - r * 0.1, y + r * 0.38],
      [x + r * 0.5, y - r * 0.35],
    ],
    '#ffffff',
    r * 0.22,
  );
};

// ---------------------------------------------------------------------------------------
// Text box styles and layouts
// ---------------------------------------------------------------------------------------

/** The defaults, written out in full so each template.json reads on its own. */
const CLASSIC_STYLE: TextStyle = { ...DEFAULT_TEXT_STYLE };

const PANEL_STYLE: TextStyle = {
  font: 'noto-sans',
  color: '#111111',
  outlineColor: '#ffffff',
  outlineRatio: 0,
  case: 'none',
  maxFontRatio: 0.07,
};

const STACK_STYLE: TextStyle = { ...PANEL_STYLE, maxFontRatio: 0.055 };

const LABEL_STYLE: TextStyle = { ...CLASSIC_STYLE, maxFontRatio: 0.07 };

const BAR_STYLE: TextStyle = {
  font: 'noto-sans',
  color: '#000000',
  outlineColor: '#ffffff',
  outlineRatio: 0,
  case: 'none',
  maxFontRatio: 0.075,
};

const CLASSIC_BOXES: readonly TextBoxInput[] = [
  { x: 0.03, y: 0.02, width: 0.94, height: 0.22, verticalAlign: 'top', style: CLASSIC_STYLE },
  { x: 0.03, y: 0.76, width: 0.94, height: 0.22, verticalAlign: 'bottom', style: CLASSIC_STYLE },
];

/** The caption band of the "caption bar" layout, as a fraction of the height. */
const BAR_HEIGHT = 0.25;

const BAR_BOXES: readonly TextBoxInput[] = [
  { x: 0.04, y: 0.02, width: 0.92, height: 0.21, align: 'left', style: BAR_STYLE },
];

/** Rounded so float noise (0.7650000000000001) never reaches the committed JSON. */
const stackBoxes = (): TextBoxInput[] =>
  [0, 1, 2, 3].map((row) => ({
    x: 0.03,
    y: Number((row * 0.25 + 0.015).toFixed(3)),
    width: 0.44,
    height: 0.22,
    style: STACK_STYLE,
  }));

const captionBand = (scene: Scene): void => {
  box(scene.ctx, 0, 0, scene.w, scene.h * BAR_HEIGHT, { fill: '#ffffff' });
  box(scene.ctx, 0, scene.h * BAR_HEIGHT - 1, scene.w, 2, { fill: '#d9d9d9' });
};

// ---------------------------------------------------------------------------------------
// The templates
// ---------------------------------------------------------------------------------------

type Layout = 'classic' | 'two-panel' | 'four-panel' | 'labels' | 'caption-bar';

interface TemplateDefinition {
  readonly id: string;
  readonly name: string;
  readonly layout: Layout;
  readonly keywords: readonly string[];
  readonly width: number;
  readonly height: number;
  readonly textBoxes: readonly TextBoxInput[];
  readonly example: readonly string[];
  readonly draw: (scene: Scene) => void;
}

const drawRackOfDoom = (scene: Scene): void => {
  const { ctx, w, h, rng } = scene;
  box(ctx, 0, 0, w, h, {
    fill: radial(ctx, w / 2, h * 0.4, 0, h * 0.8, [
      [0, '#2b3a5c'],
      [1, '#0a0d16'],
    ]),
  });
  verticalFill(ctx, 0, h * 0.84, w, h * 0.16, [
    [0, '#1a2030'],
    [1, '#0b0e15'],
  ]);
  for (let tile = 1; tile < 8; tile++)
    box(ctx, (tile * w) / 8, h * 0.84, 1, h * 0.16, { fill: 'rgba(255,255,255,0.06)' });
  serverRack(scene, w * 0.28, h * 0.1, w * 0.44, h * 0.76, 15, [4, 9]);
  // The doom: a tangle of patch cables spilling out of the rack onto the floor.
  const colors = ['#3f8efc', '#ffcc1f', '#e85d4f', '#2bb673', '#b36bff', '#ff8c2a'];
  for (let cable = 0; cable < 18; cable++) patchCable(scene, pick(rng, colors));
  for (let coil = 0; coil < 3; coil++) {
    oval(ctx, w * between(rng, 0.3, 0.7), h * between(rng, 0.9, 0.96), w * 0.07, h * 0.015, {
      stroke: pick(rng, colors),
      lineWidth: 3,
    });
  }
  blob(ctx, { x: w * 0.87, y: h * 0.9, size: h * 0.3, color: '#9ad1ff', mood: 'worried', look: -1, arms: [0.5, 2.6] });
};

/** A cable from a port on the rack's front that sags under its own weight down to the floor. */
const patchCable = (scene: Scene, color: string): void => {
  const { ctx, rng, w, h } = scene;
  const sx = w * (rng() < 0.5 ? between(rng, 0.32, 0.42) : between(rng, 0.6, 0.68));
  const sy = h * between(rng, 0.14, 0.8);
  const ex = w * between(rng, 0.08, 0.92);
  const ey = h * between(rng, 0.87, 0.98);
  ctx.beginPath();
  ctx.moveTo(sx, sy);
  ctx.bezierCurveTo(sx + (ex - sx) * 0.15, sy + (ey - sy) * 0.9, ex - (ex - sx) * 0.4, ey + h * 0.04, ex, ey);
  applyPaint(ctx, { stroke: color, lineWidth: between(rng, 3, 5) });
  box(ctx, sx - 3, sy - 3, 6, 6, { fill: '#d9dce2' }, 1);
};

const drawThisIsFine = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  verticalFill(ctx, 0, 0, w, h, [
    [0, '#4b3b3a'],
    [0.5, '#b5562c'],
    [1, '#f08a3c'],
  ]);
  smoke(scene, 0, h * 0.3, 24);
  for (const rx of [0.02, 0.16, 0.72, 0.86]) serverRack(scene, w * rx, h * 0.22, w * 0.12, h * 0.56, 10, [2, 6]);
  verticalFill(ctx, 0, h * 0.78, w, h * 0.22, [
    [0, '#5b3a29'],
    [1, '#3a2419'],
  ]);
  for (const rx of [0.08, 0.22, 0.78, 0.92]) flameRow(scene, w * (rx - 0.06), w * (rx + 0.06), h * 0.24, 30, 70);
  blob(ctx, { x: w * 0.5, y: h * 0.78, size: h * 0.42, color: '#f7d774', mood: 'calm', arms: [0.3, 1.2] });
  desk(ctx, w * 0.3, h * 0.62, w * 0.4, h * 0.2);
  mug(ctx, w * 0.6, h * 0.63, h * 0.08, '#ffffff', true);
  flameRow(scene, -10, w * 0.3, h * 0.86, 40, 110);
  flameRow(scene, w * 0.7, w + 10, h * 0.86, 40, 110);
  flameRow(scene, w * 0.28, w * 0.72, h * 1.0, 20, 55);
};

const drawPagerPanic = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  verticalFill(ctx, 0, 0, w, h, [
    [0, '#1d2444'],
    [1, '#10142a'],
  ]);
  box(ctx, w * 0.08, h * 0.1, w * 0.36, h * 0.36, { fill: '#3b2f56' }, 6);
  withClip(ctx, w * 0.1, h * 0.12, w * 0.32, h * 0.32, () => {
    verticalFill(ctx, w * 0.1, h * 0.12, w * 0.32, h * 0.32, [
      [0, '#0b1030'],
      [1, '#2a3a7a'],
    ]);
    stars(scene, w * 0.1, h * 0.12, w * 0.32, h * 0.32, 30);
    circle(ctx, w * 0.33, h * 0.2, h * 0.055, { fill: '#f6f1c7' });
    circle(ctx, w * 0.35, h * 0.19, h * 0.05, { fill: '#131a44' });
  });
  box(ctx, w * 0.255, h * 0.12, 4, h * 0.32, { fill: '#3b2f56' });
  box(ctx, w * 0.1, h * 0.28, w * 0.32, 4, { fill: '#3b2f56' });
  box(ctx, w * 0.64, h * 0.58, w * 0.3, h * 0.42, { fill: '#5b4636', stroke: '#3a2b20', lineWidth: 2 }, 4);
  box(ctx, w * 0.66, h * 0.72, w * 0.26, h * 0.1, { fill: '#6e5643', stroke: '#3a2b20', lineWidth: 2 }, 3);
  pagerDevice(ctx, w * 0.68, h * 0.47, w * 0.2, h * 0.11);
  box(ctx, -10, h * 0.66, w * 0.66, h * 0.4, { fill: '#e7e3da' }, 20);
  blob(ctx, { x: w * 0.28, y: h * 0.86, size: h * 0.36, color: '#ffb8a8', mood: 'shocked', look: 1, legs: false });
  box(ctx, -10, h * 0.74, w * 0.64, h * 0.3, { fill: '#4b5fa8', stroke: '#33427a', lineWidth: 3 }, 24);
  for (let fold = 0; fold < 4; fold++)
    arcLine(ctx, w * (0.08 + fold * 0.13), h * 0.9, h * 0.06, Math.PI * 1.1, Math.PI * 1.6, '#3b4c8c', 3);
};

const drawHelmSunset = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  const horizon = h * 0.64;
  verticalFill(ctx, 0, 0, w, horizon, [
    [0, '#2b1055'],
    [0.55, '#c2418f'],
    [1, '#fbb46b'],
  ]);
  stars(scene, 0, 0, w, h * 0.25, 40);
  withClip(ctx, 0, 0, w, horizon, () => {
    glow(ctx, w * 0.55, horizon, h * 0.5, '255,214,120', 0.55);
    circle(ctx, w * 0.55, horizon, h * 0.24, {
      fill: linear(ctx, 0, horizon - h * 0.24, 0, horizon, [
        [0, '#ffe28a'],
        [1, '#ff9a4a'],
      ]),
    });
    shipWheel(ctx, w * 0.55, horizon, h * 0.15, 'rgba(110,40,120,0.55)', 8);
  });
  verticalFill(ctx, 0, horizon, w, h - horizon, [
    [0, '#5a2d73'],
    [1, '#1b1440'],
  ]);
  for (let row = 0; row < 9; row++) {
    const y = horizon + 6 + row * row * 3.2;
    const half = w * (0.2 - row * 0.012);
    box(
      ctx,
      w * 0.55 - half,
      y,
      half * 2,
      2 + row * 0.4,
      { fill: `rgba(255,190,110,${(0.55 - row * 0.05).toFixed(2)})` },
      2,
    );
  }
  containerShip(scene, w * 0.06, horizon + h * 0.06, w * 0.36);
  for (const [bx, by] of [
    [0.72, 0.3],
    [0.78, 0.26],
    [0.84, 0.32],
  ] as const) {
    polyline(
      ctx,
      [
        [w * bx - 9, h * by - 5],
        [w * bx, h * by],
        [w * bx + 9, h * by - 5],
      ],
      '#2a1240',
      2.5,
    );
  }
};

const drawCatOnKeyboard = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  verticalFill(ctx, 0, 0, w, h, [
    [0, '#bfe3dc'],
    [1, '#8fc7c4'],
  ]);
  box(ctx, w * 0.06, h * 0.08, w * 0.14, h * 0.2, { fill: '#f6f1e4', stroke: '#6b8f8c', lineWidth: 3 }, 4);
  monitor(scene, w * 0.24, h * 0.1, w * 0.52, h * 0.42, ['#ff6b6b', '#ff6b6b', '#ffd166', '#7bdff2', '#c3c7d4']);
  desk(ctx, 0, h * 0.6, w, h * 0.4);
  keyboard(ctx, w * 0.16, h * 0.67, w * 0.68, h * 0.14);
  cat(ctx, { x: w * 0.52, y: h * 0.8, s: w * 0.42, fur: '#f2a65a', stripes: '#c9772e', mood: 'smug' });
  mug(ctx, w * 0.9, h * 0.72, h * 0.09, '#e85d4f', true);
};

const drawApproveRejectRobot = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  box(ctx, 0, 0, w, h, { fill: '#f6f4ee' });
  box(ctx, 0, 0, w * 0.5, h * 0.5, {
    fill: linear(ctx, 0, 0, 0, h * 0.5, [
      [0, '#ffe1dc'],
      [1, '#ffc4bb'],
    ]),
  });
  box(ctx, 0, h * 0.5, w * 0.5, h * 0.5, {
    fill: linear(ctx, 0, h * 0.5, 0, h, [
      [0, '#dcf7dc'],
      [1, '#b9eab9'],
    ]),
  });
  withClip(ctx, 0, 0, w / 2, h / 2, () => robot(ctx, w * 0.22, h * 0.47, h * 0.4, 'no'));
  withClip(ctx, 0, h / 2, w / 2, h / 2, () => robot(ctx, w * 0.22, h * 0.97, h * 0.4, 'yes'));
  box(ctx, w * 0.5 - 1.5, 0, 3, h, { fill: '#222222' });
  box(ctx, 0, h * 0.5 - 1.5, w, 3, { fill: '#222222' });
};

const sunnySide = (scene: Scene, x: number, y: number, w: number, h: number): void => {
  const { ctx } = scene;
  verticalFill(ctx, x, y, w, h, [
    [0, '#7cc8ff'],
    [1, '#d8f1ff'],
  ]);
  glow(ctx, x + w * 0.82, y + h * 0.15, w * 0.3, '255,230,120', 0.8);
  circle(ctx, x + w * 0.82, y + h * 0.15, w * 0.09, { fill: '#ffd23f' });
  for (const [index, color] of ['#ff6b6b', '#ffb020', '#ffe066', '#3ddc84', '#4aa8ff', '#8e6bd8'].entries()) {
    arcLine(ctx, x + w * 0.5, y + h * 0.9, w * (0.42 - index * 0.025), Math.PI, TAU, color, w * 0.026);
  }
  cloud(ctx, x + w * 0.42, y + h * 0.28, w * 0.22, '#ffffff');
  face(ctx, x + w * 0.42, y + h * 0.3, w * 0.2, 'happy');
  hills(scene, y + h * 0.86, h * 0.03, 1.2, 1, '#6cc56a');
  for (let rack = 0; rack < 3; rack++) {
    const rx = x + w * (0.2 + rack * 0.22);
    box(ctx, rx, y + h * 0.6, w * 0.16, h * 0.3, { fill: '#2a3142', stroke: '#141925', lineWidth: 2 }, 3);
    for (let led = 0; led < 4; led++) circle(ctx, rx + w * 0.12, y + h * (0.65 + led * 0.06), 3, { fill: LED.green });
  }
};

const stormySide = (scene: Scene, x: number, y: number, w: number, h: number): void => {
  const { ctx, rng } = scene;
  verticalFill(ctx, x, y, w, h, [
    [0, '#2c3146'],
    [1, '#59607a'],
  ]);
  for (let drop = 0; drop < 60; drop++) {
    const dx = x + rng() * w;
    const dy = y + h * between(rng, 0.35, 0.95);
    polyline(
      ctx,
      [
        [dx, dy],
        [dx - 4, dy + 12],
      ],
      'rgba(170,200,255,0.6)',
      1.5,
    );
  }
  polygon(
    ctx,
    [
      [x + w * 0.5, y + h * 0.34],
      [x + w * 0.4, y + h * 0.55],
      [x + w * 0.49, y + h * 0.55],
      [x + w * 0.42, y + h * 0.74],
      [x + w * 0.62, y + h * 0.48],
      [x + w * 0.52, y + h * 0.48],
      [x + w * 0.58, y + h * 0.34],
    ],
    { fill: '#ffe14d' },
  );
  cloud(ctx, x + w * 0.5, y + h * 0.28, w * 0.26, '#7d8499');
  face(ctx, x + w * 0.5, y + h * 0.3, w * 0.22, 'angry');
  hills(scene, y + h * 0.88, h * 0.02, 1.3, 2, '#3e4a3c');
  const rx = x + w * 0.6;
  box(ctx, rx, y + h * 0.62, w * 0.2, h * 0.28, { fill: '#2a3142', stroke: '#141925', lineWidth: 2 }, 3);
  glow(ctx, rx + w * 0.15, y + h * 0.68, w * 0.08, '255,59,48', 0.8);
  circle(ctx, rx + w * 0.15, y + h * 0.68, 3.5, { fill: LED.red });
  for (let puff = 0; puff < 5; puff++)
    circle(ctx, rx + w * (0.06 + puff * 0.03), y + h * (0.58 - puff * 0.05), w * (0.03 + puff * 0.01), {
      fill: 'rgba(40,40,45,0.55)',
    });
};

const drawExpectationReality = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  box(ctx, 0, 0, w, h, { fill: '#f6f4ee' });
  const top = h * 0.28;
  withClip(ctx, 0, top, w / 2, h - top, () => sunnySide(scene, 0, top, w / 2, h - top));
  withClip(ctx, w / 2, top, w / 2, h - top, () => stormySide(scene, w / 2, top, w / 2, h - top));
  box(ctx, w / 2 - 1.5, 0, 3, h, { fill: '#222222' });
  box(ctx, 0, top - 1.5, w, 3, { fill: '#222222' });
};

/** Each row's art background darkens toward deep space as the idea gets bigger. */
const BRAIN_ROWS: readonly Stops[] = [
  [
    [0, '#eef3f8'],
    [1, '#d7e2ee'],
  ],
  [
    [0, '#2f3f6e'],
    [1, '#24305a'],
  ],
  [
    [0, '#251a57'],
    [1, '#1a1242'],
  ],
  [
    [0, '#0b0420'],
    [1, '#1d0838'],
  ],
];

const drawGalaxyBrainBulb = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  const rowH = h / 4;
  BRAIN_ROWS.forEach((stops, row) => {
    const y = row * rowH;
    box(ctx, 0, y, w / 2, rowH, { fill: row % 2 === 0 ? '#f8f6f0' : '#f1eee6' });
    verticalFill(ctx, w / 2, y, w / 2, rowH, stops);
    withClip(ctx, w / 2, y, w / 2, rowH, () => {
      if (row >= 1) stars(scene, w / 2, y, w / 2, rowH, row * 18);
      if (row === 3) {
        glow(ctx, w * 0.62, y + rowH * 0.3, rowH * 0.6, '200,80,255', 0.45);
        glow(ctx, w * 0.9, y + rowH * 0.8, rowH * 0.5, '80,160,255', 0.4);
      }
      lightbulb(scene, w * 0.75, y + rowH * 0.47, rowH * 0.72, row);
      if (row === 3) {
        for (const [sx, sy] of [
          [0.57, 0.2],
          [0.93, 0.25],
          [0.6, 0.8],
          [0.91, 0.75],
        ] as const)
          sparkle(ctx, w * sx, y + rowH * sy, rowH * 0.06, '#ffffff');
      }
    });
    if (row > 0) box(ctx, 0, y - 1.5, w, 3, { fill: '#222222' });
  });
  box(ctx, w / 2 - 1.5, 0, 3, h, { fill: '#222222' });
};

const COFFEE_ROWS: readonly Stops[] = [
  [
    [0, '#fff4e0'],
    [1, '#ffe6bf'],
  ],
  [
    [0, '#ffd9a0'],
    [1, '#ffc37a'],
  ],
  [
    [0, '#ff9f5a'],
    [1, '#f27a3a'],
  ],
  [
    [0, '#e2483a'],
    [1, '#b3202a'],
  ],
];

const coffeeStage = (scene: Scene, row: number, cx: number, cy: number, s: number): void => {
  const { ctx } = scene;
  if (row === 0) {
    oval(ctx, cx, cy + s * 0.22, s * 0.28, s * 0.05, { fill: '#ffffff', stroke: '#c7b9a5', lineWidth: 2 });
    mug(ctx, cx, cy + s * 0.2, s * 0.26, '#ffffff', false);
  } else if (row === 1) {
    mug(ctx, cx, cy + s * 0.3, s * 0.5, '#4aa8ff', true);
  } else if (row === 2) {
    mug(ctx, cx - s * 0.3, cy + s * 0.35, s * 0.45, '#3ddc84', true);
    mug(ctx, cx + s * 0.3, cy + s * 0.35, s * 0.45, '#b36bff', true);
  } else {
    coffeePot(ctx, cx, cy + s * 0.4, s * 0.8);
    for (let spark = 0; spark < 6; spark++) {
      const angle = (spark / 6) * TAU + 0.3;
      sparkle(ctx, cx + Math.cos(angle) * s * 0.6, cy + Math.sin(angle) * s * 0.4, s * 0.08, '#ffe14d');
    }
  }
};

/** A whole carafe with a straw in it: the final form of on-call caffeine. */
const coffeePot = (ctx: Ctx, x: number, bottomY: number, s: number): void => {
  polyline(
    ctx,
    [
      [x + s * 0.05, bottomY - s * 0.75],
      [x + s * 0.12, bottomY - s * 1.05],
      [x + s * 0.28, bottomY - s * 1.05],
    ],
    '#ff5a8a',
    s * 0.05,
  );
  polygon(
    ctx,
    [
      [x - s * 0.22, bottomY - s * 0.8],
      [x + s * 0.22, bottomY - s * 0.8],
      [x + s * 0.36, bottomY],
      [x - s * 0.36, bottomY],
    ],
    { fill: 'rgba(220,235,245,0.85)', stroke: INK, lineWidth: 3 },
  );
  polygon(
    ctx,
    [
      [x - s * 0.27, bottomY - s * 0.5],
      [x + s * 0.27, bottomY - s * 0.5],
      [x + s * 0.34, bottomY - s * 0.04],
      [x - s * 0.34, bottomY - s * 0.04],
    ],
    { fill: '#4a2c1d' },
  );
  box(ctx, x - s * 0.25, bottomY - s * 0.92, s * 0.5, s * 0.14, { fill: '#2b2d35' }, 4);
  arcLine(ctx, x + s * 0.36, bottomY - s * 0.45, s * 0.18, -Math.PI / 2, Math.PI / 2, '#2b2d35', s * 0.07);
};

const drawCoffeeEscalation = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  const rowH = h / 4;
  COFFEE_ROWS.forEach((stops, row) => {
    const y = row * rowH;
    box(ctx, 0, y, w / 2, rowH, { fill: row % 2 === 0 ? '#fbf8f2' : '#f3efe6' });
    verticalFill(ctx, w / 2, y, w / 2, rowH, stops);
    withClip(ctx, w / 2, y, w / 2, rowH, () => coffeeStage(scene, row, w * 0.75, y + rowH * 0.45, rowH * 0.8));
    if (row > 0) box(ctx, 0, y - 1.5, w, 3, { fill: '#222222' });
  });
  box(ctx, w / 2 - 1.5, 0, 3, h, { fill: '#222222' });
};

const drawDistractedSysadmin = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  verticalFill(ctx, 0, 0, w, h * 0.7, [
    [0, '#8fd0ff'],
    [1, '#e6f6ff'],
  ]);
  skyline(scene, h * 0.62, h * 0.1, h * 0.3, '#b9cfe0');
  cloud(ctx, w * 0.2, h * 0.14, w * 0.07, '#ffffff');
  cloud(ctx, w * 0.7, h * 0.1, w * 0.05, '#ffffff');
  verticalFill(ctx, 0, h * 0.62, w, h * 0.38, [
    [0, '#7cc96f'],
    [1, '#58a84c'],
  ]);
  polygon(
    ctx,
    [
      [0, h * 0.8],
      [w, h * 0.74],
      [w, h * 0.9],
      [0, h * 0.98],
    ],
    { fill: '#d8cfc0' },
  );
  for (const tx of [0.08, 0.46, 0.94]) tree(ctx, w * tx, h * 0.68, h * 0.34, '#3f9a4a');
  glow(ctx, w * 0.2, h * 0.7, h * 0.32, '255,120,230', 0.45);
  blob(ctx, {
    x: w * 0.2,
    y: h * 0.92,
    size: h * 0.46,
    color: '#ff7ad9',
    mood: 'smug',
    look: 1,
    arms: [0.6, 2.5],
    blush: true,
  });
  for (const [sx, sy, r] of [
    [0.08, 0.45, 0.04],
    [0.32, 0.4, 0.05],
    [0.3, 0.72, 0.03],
    [0.12, 0.68, 0.025],
  ] as const)
    sparkle(ctx, w * sx, h * sy, h * r, '#fff6a8');
  blob(ctx, {
    x: w * 0.56,
    y: h * 0.94,
    size: h * 0.5,
    color: '#8ecbff',
    mood: 'starry',
    look: -1,
    lean: -0.12,
    arms: [0.4, 0.3],
  });
  blob(ctx, { x: w * 0.82, y: h * 0.9, size: h * 0.48, color: '#ffc97a', mood: 'angry', look: -1, arms: [0.9, 0.4] });
};

const drawTwoButtons = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  verticalFill(ctx, 0, 0, w, h, [
    [0, '#d9dde6'],
    [1, '#aab2c2'],
  ]);
  box(
    ctx,
    w * 0.04,
    h * 0.04,
    w * 0.92,
    h * 0.46,
    {
      fill: linear(ctx, 0, h * 0.04, 0, h * 0.5, [
        [0, '#5d6578'],
        [1, '#3a4050'],
      ]),
      stroke: '#1f232d',
      lineWidth: 4,
    },
    14,
  );
  hazardStripes(ctx, w * 0.08, h * 0.41, w * 0.84, h * 0.05);
  for (const [bx, by] of [
    [0.1, 0.08],
    [0.9, 0.08],
    [0.1, 0.37],
    [0.9, 0.37],
  ] as const)
    circle(ctx, w * bx, h * by, 5, { fill: '#8f97a8', stroke: '#1f232d', lineWidth: 1.5 });
  bigButton(ctx, w * 0.3, h * 0.3, w * 0.12, '#ff5a4f', '#a81f17');
  bigButton(ctx, w * 0.7, h * 0.3, w * 0.12, '#4aa8ff', '#1b5fae');
  blob(ctx, {
    x: w * 0.5,
    y: h * 1.02,
    size: h * 0.44,
    color: '#ffd0a8',
    mood: 'worried',
    look: 0,
    legs: false,
    arms: [2.8, 0.2],
  });
  for (const [dx, dy, r] of [
    [0.36, 0.66, 0.022],
    [0.64, 0.7, 0.018],
    [0.62, 0.6, 0.014],
    [0.38, 0.76, 0.015],
  ] as const)
    sweatDrop(ctx, w * dx, h * dy, h * r);
};

const drawExitRamp = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  const horizon = h * 0.5;
  verticalFill(ctx, 0, 0, w, h, [
    [0, '#5fb0f5'],
    [0.5, '#cfeaff'],
    [1, '#cfeaff'],
  ]);
  cloud(ctx, w * 0.12, h * 0.38, w * 0.05, '#ffffff');
  hills(scene, horizon, h * 0.04, 2.2, 0.5, '#7fbf73');
  hills(scene, horizon + h * 0.06, h * 0.03, 1.4, 2, '#5fa457');
  for (const tx of [0.05, 0.12, 0.9, 0.97]) tree(ctx, w * tx, horizon + h * 0.12, h * 0.16, '#2f7a3a');
  const vx = w * 0.4;
  polygon(
    ctx,
    [
      [w * 0.02, h],
      [vx - 4, horizon],
      [vx + 4, horizon],
      [w * 0.78, h],
    ],
    { fill: '#5b5f6b' },
  );
  ctx.beginPath();
  ctx.moveTo(w * 0.62, h);
  ctx.quadraticCurveTo(w * 0.6, h * 0.66, w, h * 0.56);
  ctx.lineTo(w, h * 0.68);
  ctx.quadraticCurveTo(w * 0.82, h * 0.74, w * 0.92, h);
  ctx.closePath();
  applyPaint(ctx, { fill: '#5b5f6b' });
  for (let dash = 0; dash < 7; dash++) {
    const t0 = 0.1 + dash * 0.13;
    const t1 = t0 + 0.06;
    polyline(
      ctx,
      [
        [vx + (w * 0.4 - vx) * t0, horizon + (h - horizon) * t0],
        [vx + (w * 0.4 - vx) * t1, horizon + (h - horizon) * t1],
      ],
      '#f2f2f2',
      1 + t0 * 5,
    );
  }
  skidMarks(ctx, w, h);
  withFrame(ctx, w * 0.68, h * 0.88, 0.2, () => carRear(ctx, 0, 0, w * 0.24, '#e8453c'));
  overheadSign(ctx, w, h);
};

const skidMarks = (ctx: Ctx, w: number, h: number): void => {
  for (const offset of [-0.07, 0.07]) {
    ctx.beginPath();
    ctx.moveTo(w * (0.38 + offset), h);
    ctx.quadraticCurveTo(w * (0.5 + offset), h * 0.96, w * (0.66 + offset * 0.8), h * 0.9);
    applyPaint(ctx, { stroke: 'rgba(20,20,24,0.7)', lineWidth: 7 });
  }
};

const overheadSign = (ctx: Ctx, w: number, h: number): void => {
  for (const px of [0.04, 0.95])
    box(ctx, w * px, h * 0.06, w * 0.018, h * 0.6, { fill: '#8d939e', stroke: '#50555f', lineWidth: 1 });
  box(ctx, w * 0.04, h * 0.1, w * 0.93, h * 0.02, { fill: '#8d939e' });
  for (const [sx, sw] of [
    [0.1, 0.38],
    [0.52, 0.4],
  ] as const) {
    box(ctx, w * sx, h * 0.05, w * sw, h * 0.27, { fill: '#0f7a3e', stroke: '#ffffff', lineWidth: 4 }, 10);
  }
  upArrow(ctx, w * 0.29, h * 0.27, h * 0.07);
  exitArrow(ctx, w * 0.72, h * 0.27, h * 0.08);
};

const drawCaptionBarDuck = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  const top = h * BAR_HEIGHT;
  verticalFill(ctx, 0, top, w, h - top, [
    [0, '#2d3350'],
    [1, '#454d73'],
  ]);
  box(ctx, w * 0.72, top + h * 0.06, w * 0.2, h * 0.16, { fill: '#f2d16b', stroke: '#1c2033', lineWidth: 4 }, 4);
  polyline(
    ctx,
    [
      [w * 0.74, top + h * 0.19],
      [w * 0.8, top + h * 0.14],
      [w * 0.86, top + h * 0.17],
      [w * 0.9, top + h * 0.1],
    ],
    '#e85d4f',
    3,
  );
  monitor(scene, w * 0.06, top + h * 0.06, w * 0.5, h * 0.34, ['#7bdff2', '#ffd166', '#c3c7d4', '#f78fb3', '#a3e635']);
  glow(ctx, w * 0.31, top + h * 0.23, w * 0.45, '123,223,242', 0.15);
  desk(ctx, 0, h * 0.82, w, h * 0.18);
  mug(ctx, w * 0.12, h * 0.86, h * 0.08, '#4aa8ff', true);
  duck(ctx, w * 0.7, h * 0.86, w * 0.36, -1);
  captionBand(scene);
};

const drawCaptionBarServerCat = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  const top = h * BAR_HEIGHT;
  verticalFill(ctx, 0, top, w, h - top, [
    [0, '#1c2233'],
    [1, '#2c3550'],
  ]);
  serverRack(scene, w * 0.04, top + h * 0.04, w * 0.2, h * 0.7, 10);
  serverRack(scene, w * 0.76, top + h * 0.04, w * 0.2, h * 0.7, 10, [3]);
  // A warm glow under the cat: the whole joke is that the server doubles as a heated bed.
  glow(ctx, w * 0.5, h * 0.66, w * 0.34, '255,140,80', 0.35);
  box(ctx, w * 0.28, h * 0.8, w * 0.44, h * 0.2, { fill: '#3a4256', stroke: '#20263a', lineWidth: 2 }, 4);
  box(ctx, w * 0.26, h * 0.79, w * 0.48, h * 0.025, { fill: '#59627b' }, 3);
  serverUnit(scene, w * 0.29, h * 0.65, w * 0.42, h * 0.14, false);
  cat(ctx, { x: w * 0.53, y: h * 0.665, s: w * 0.36, fur: '#9aa3b5', stripes: '#6b7387', mood: 'sleepy' });
  zzz(ctx, w * 0.42, h * 0.42, h * 0.035);
  captionBand(scene);
};

const zzz = (ctx: Ctx, x: number, y: number, s: number): void => {
  for (let index = 0; index < 3; index++) {
    const size = s * (1 + index * 0.3);
    const zx = x + index * s * 1.3;
    const zy = y - index * s * 1.3;
    polyline(
      ctx,
      [
        [zx, zy],
        [zx + size, zy],
        [zx, zy + size],
        [zx + size, zy + size],
      ],
      '#e8ecf7',
      Math.max(2, size * 0.16),
    );
  }
};

const officeChair = (ctx: Ctx, x: number, seatY: number, s: number): void => {
  withFrame(ctx, x - s * 0.25, seatY - s * 0.1, -0.25, () =>
    box(ctx, -s * 0.12, -s * 0.75, s * 0.24, s * 0.75, { fill: '#4b4f63' }, s * 0.08),
  );
  box(ctx, x - s * 0.3, seatY - s * 0.06, s * 0.6, s * 0.1, { fill: '#4b4f63' }, s * 0.04);
  box(ctx, x - s * 0.03, seatY + s * 0.04, s * 0.06, s * 0.16, { fill: '#2b2d36' });
  polyline(
    ctx,
    [
      [x - s * 0.25, seatY + s * 0.22],
      [x + s * 0.25, seatY + s * 0.22],
    ],
    '#2b2d36',
    s * 0.04,
  );
};

const drawCaptionBarAllGreen = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  const top = h * BAR_HEIGHT;
  verticalFill(ctx, 0, top, w, h - top, [
    [0, '#e9e4f5'],
    [1, '#cfc6e6'],
  ]);
  dashboardScreen(scene, w * 0.1, top + h * 0.05, w * 0.8, h * 0.3);
  officeChair(ctx, w * 0.33, h * 0.93, h * 0.3);
  blob(ctx, {
    x: w * 0.36,
    y: h * 0.94,
    size: h * 0.34,
    color: '#a6e3a1',
    mood: 'calm',
    lean: -0.18,
    arms: [2.5, 2.5],
    legs: false,
  });
  desk(ctx, w * 0.5, h * 0.86, w * 0.52, h * 0.14);
  // Feet up on the desk: the universal pose of a quiet on-call shift.
  for (const [hip, foot, knee] of [
    [0.4, 0.57, 0.86],
    [0.43, 0.66, 0.88],
  ] as const) {
    polyline(
      ctx,
      [
        [w * hip, h * 0.9],
        [w * (hip + foot) * 0.5, h * knee],
        [w * foot, h * 0.845],
      ],
      INK,
      h * 0.02,
    );
    oval(ctx, w * foot, h * 0.835, w * 0.035, h * 0.022, { fill: '#3b3f4c' }, -0.3);
  }
  mug(ctx, w * 0.9, h * 0.87, h * 0.07, '#ffd23f', true);
  captionBand(scene);
};

const TEMPLATES: readonly TemplateDefinition[] = [
  {
    id: 'rack-of-doom',
    name: 'Rack of Doom',
    layout: 'classic',
    keywords: ['server', 'rack', 'cables', 'homelab', 'datacenter'],
    width: 600,
    height: 720,
    textBoxes: CLASSIC_BOXES,
    example: ['just one more cable', 'said every homelabber ever'],
    draw: drawRackOfDoom,
  },
  {
    id: 'this-is-fine-datacenter',
    name: 'This Is Fine (Datacenter)',
    layout: 'classic',
    keywords: ['fire', 'fine', 'outage', 'incident', 'datacenter', 'calm'],
    width: 720,
    height: 560,
    textBoxes: CLASSIC_BOXES,
    example: ['all pods crashlooping', 'dashboard says 99.9% uptime'],
    draw: drawThisIsFine,
  },
  {
    id: 'pager-panic',
    name: 'Pager Panic',
    layout: 'classic',
    keywords: ['pager', 'on-call', 'alert', 'night', 'sleep', 'incident'],
    width: 600,
    height: 600,
    textBoxes: CLASSIC_BOXES,
    example: ['3:14 am', 'disk 81% full on a test box'],
    draw: drawPagerPanic,
  },
  {
    id: 'helm-sunset',
    name: 'Helm Sunset',
    layout: 'classic',
    keywords: ['kubernetes', 'helm', 'containers', 'sunset', 'ship', 'sailing'],
    width: 720,
    height: 540,
    textBoxes: CLASSIC_BOXES,
    example: ['deployed on friday at 5pm', 'sailing into the weekend'],
    draw: drawHelmSunset,
  },
  {
    id: 'cat-on-keyboard',
    name: 'Cat on Keyboard',
    layout: 'classic',
    keywords: ['cat', 'keyboard', 'typo', 'desk', 'pets'],
    width: 640,
    height: 560,
    textBoxes: CLASSIC_BOXES,
    example: ['who pushed to main?', 'the cat has merge rights'],
    draw: drawCatOnKeyboard,
  },
  {
    id: 'approve-reject-robot',
    name: 'Approve / Reject Robot',
    layout: 'two-panel',
    keywords: ['approve', 'reject', 'prefer', 'robot', 'yes', 'no', 'comparison'],
    width: 700,
    height: 700,
    textBoxes: [
      { x: 0.53, y: 0.03, width: 0.44, height: 0.44, style: PANEL_STYLE },
      { x: 0.53, y: 0.53, width: 0.44, height: 0.44, style: PANEL_STYLE },
    ],
    example: ['Reading the docs', 'kubectl apply and pray'],
    draw: drawApproveRejectRobot,
  },
  {
    id: 'expectation-reality-cloud',
    name: 'Expectation vs Reality (Cloud)',
    layout: 'two-panel',
    keywords: ['expectation', 'reality', 'cloud', 'storm', 'comparison', 'migration'],
    width: 760,
    height: 560,
    textBoxes: [
      { x: 0.02, y: 0.02, width: 0.46, height: 0.24, style: PANEL_STYLE },
      { x: 0.52, y: 0.02, width: 0.46, height: 0.24, style: PANEL_STYLE },
    ],
    example: ['Migrating to the cloud: the plan', 'Migrating to the cloud: the bill'],
    draw: drawExpectationReality,
  },
  {
    id: 'galaxy-brain-bulb',
    name: 'Galaxy Brain Bulb',
    layout: 'four-panel',
    keywords: ['brain', 'idea', 'lightbulb', 'escalating', 'enlightened', 'galaxy'],
    width: 600,
    height: 800,
    textBoxes: stackBoxes(),
    example: ['Restart the pod', 'Restart the node', 'Restart the cluster', 'Restart your career as a farmer'],
    draw: drawGalaxyBrainBulb,
  },
  {
    id: 'coffee-escalation',
    name: 'Coffee Escalation',
    layout: 'four-panel',
    keywords: ['coffee', 'caffeine', 'escalating', 'on-call', 'tired'],
    width: 600,
    height: 800,
    textBoxes: stackBoxes(),
    example: ['Normal Tuesday', 'Staging is down', 'Prod is down', 'DNS is down'],
    draw: drawCoffeeEscalation,
  },
  {
    id: 'distracted-sysadmin',
    name: 'Distracted Sysadmin',
    layout: 'labels',
    keywords: ['distracted', 'new', 'shiny', 'hype', 'tempted', 'labels'],
    width: 760,
    height: 520,
    textBoxes: [
      { x: 0.03, y: 0.08, width: 0.32, height: 0.2, rotation: -6, style: LABEL_STYLE },
      { x: 0.4, y: 0.04, width: 0.3, height: 0.2, style: LABEL_STYLE },
      { x: 0.7, y: 0.12, width: 0.28, height: 0.2, rotation: 8, style: LABEL_STYLE },
    ],
    example: ['a brand new framework', 'me', 'the stack that works'],
    draw: drawDistractedSysadmin,
  },
  {
    id: 'two-buttons-deploy',
    name: 'Two Buttons (Deploy)',
    layout: 'labels',
    keywords: ['buttons', 'choice', 'dilemma', 'sweating', 'deploy', 'decision'],
    width: 600,
    height: 720,
    textBoxes: [
      { x: 0.08, y: 0.08, width: 0.42, height: 0.12, rotation: -8, style: LABEL_STYLE },
      { x: 0.5, y: 0.08, width: 0.42, height: 0.12, rotation: 8, style: LABEL_STYLE },
      { x: 0.05, y: 0.84, width: 0.9, height: 0.14, style: LABEL_STYLE },
    ],
    example: ['fix the flaky test', 'add a retry', 'me at 6pm'],
    draw: drawTwoButtons,
  },
  {
    id: 'exit-ramp-swerve',
    name: 'Exit Ramp Swerve',
    layout: 'labels',
    keywords: ['exit', 'swerve', 'highway', 'choice', 'car', 'labels'],
    width: 760,
    height: 540,
    textBoxes: [
      { x: 0.12, y: 0.06, width: 0.34, height: 0.14, style: LABEL_STYLE },
      { x: 0.54, y: 0.06, width: 0.36, height: 0.14, style: LABEL_STYLE },
      { x: 0.5, y: 0.52, width: 0.42, height: 0.14, rotation: -8, style: LABEL_STYLE },
    ],
    example: ['boring but stable', 'rewrite it in rust', 'me'],
    draw: drawExitRamp,
  },
  {
    id: 'caption-bar-duck',
    name: 'Rubber Duck (Caption Bar)',
    layout: 'caption-bar',
    keywords: ['duck', 'debugging', 'rubber duck', 'code', 'caption'],
    width: 640,
    height: 640,
    textBoxes: BAR_BOXES,
    example: ['Me explaining the bug to the duck and realising it was YAML indentation'],
    draw: drawCaptionBarDuck,
  },
  {
    id: 'caption-bar-server-cat',
    name: 'Server Cat (Caption Bar)',
    layout: 'caption-bar',
    keywords: ['cat', 'server', 'warm', 'sleep', 'homelab', 'caption'],
    width: 640,
    height: 600,
    textBoxes: BAR_BOXES,
    example: ['The real reason the homelab never gets powered off'],
    draw: drawCaptionBarServerCat,
  },
  {
    id: 'caption-bar-all-green',
    name: 'All Green (Caption Bar)',
    layout: 'caption-bar',
    keywords: ['dashboard', 'green', 'monitoring', 'relaxed', 'uptime', 'caption'],
    width: 700,
    height: 600,
    textBoxes: BAR_BOXES,
    example: ['When every check is green because the monitoring is down too'],
    draw: drawCaptionBarAllGreen,
  },
];

// ---------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------

const TEMPLATES_DIR = dirname(fileURLToPath(import.meta.url));
const JPEG_QUALITY = 82;
/** Templates ship in the repository and the image; this keeps the whole set small. */
const MAX_IMAGE_BYTES = 90 * 1024;
const SOURCE = { author: 'memelab contributors', licence: 'CC0-1.0' } as const;

const buildConfig = (template: TemplateDefinition): TemplateInput => ({
  id: template.id,
  name: template.name,
  keywords: [...template.keywords],
  source: { ...SOURCE },
  image: 'image.jpg',
  width: template.width,
  height: template.height,
  textBoxes: [...template.textBoxes],
  example: [...template.example],
});

/** The schema cannot see these, but the gallery and tests rely on them. */
const checkDefinition = (template: TemplateDefinition): void => {
  if (template.example.length !== template.textBoxes.length) {
    throw new Error(`${template.id}: ${template.example.length} examples for ${template.textBoxes.length} text boxes`);
  }
  for (const edge of [template.width, template.height]) {
    if (edge < 500 || edge > 800) throw new Error(`${template.id}: edges must be 500-800 px, got ${edge}`);
  }
};

const renderImage = async (template: TemplateDefinition): Promise<Buffer> => {
  const canvas = createCanvas(template.width, template.height);
  const scene: Scene = {
    ctx: canvas.getContext('2d'),
    w: template.width,
    h: template.height,
    rng: mulberry32(hashSeed(template.id)),
  };
  template.draw(scene);
  const image = await canvas.encode('jpeg', JPEG_QUALITY);
  if (image.length > MAX_IMAGE_BYTES) {
    throw new Error(`${template.id}: image is ${image.length} bytes, over the ${MAX_IMAGE_BYTES} byte budget`);
  }
  return image;
};

const writeTemplate = async (template: TemplateDefinition): Promise<void> => {
  checkDefinition(template);
  const config = buildConfig(template);
  templateSchema.parse(config);
  const image = await renderImage(template);
  const folder = join(TEMPLATES_DIR, template.id);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'image.jpg'), image);
  await writeFile(join(folder, 'template.json'), `${JSON.stringify(config, null, 2)}\n`);
  const kib = (image.length / 1024).toFixed(1);
  console.log(`wrote templates/${template.id} (${template.layout}, ${template.width}x${template.height}, ${kib} KiB)`);
};

const main = async (): Promise<void> => {
  const ids = new Set<string>();
  for (const template of TEMPLATES) {
    if (ids.has(template.id)) throw new Error(`duplicate template id ${template.id}`);
    ids.add(template.id);
    await writeTemplate(template);
  }
  console.log(`${TEMPLATES.length} templates written to ${TEMPLATES_DIR}`);
};

await main();
