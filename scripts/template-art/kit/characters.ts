/** Characters: faces with moods, blob people, robots, cats and ducks. */
import {
  applyPaint,
  arcLine,
  box,
  type Ctx,
  circle,
  INK,
  oval,
  type Point,
  polygon,
  polyline,
  TAU,
  withFrame,
} from './canvas.ts';
import { sparkle } from './scenery.ts';

export type Mood = 'happy' | 'calm' | 'sad' | 'worried' | 'shocked' | 'smug' | 'angry' | 'sleepy' | 'starry';

export const openEye = (ctx: Ctx, x: number, y: number, r: number, look: number, lineWidth: number): void => {
  circle(ctx, x, y, r, { fill: '#ffffff', stroke: INK, lineWidth });
  circle(ctx, x + look * r * 0.4, y + r * 0.1, r * 0.55, { fill: INK });
  circle(ctx, x + look * r * 0.4 - r * 0.18, y - r * 0.12, r * 0.17, { fill: '#ffffff' });
};

export const eyes = (ctx: Ctx, x: number, y: number, s: number, mood: Mood, look: number): void => {
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
export const brows = (ctx: Ctx, x: number, y: number, s: number, mood: Mood): void => {
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

export const mouth = (ctx: Ctx, x: number, y: number, s: number, mood: Mood): void => {
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

export const wavyLine = (x: number, y: number, w: number, amplitude: number): Point[] =>
  Array.from({ length: 9 }, (_, index): Point => [x + (w * index) / 8, y + (index % 2 === 0 ? -amplitude : amplitude)]);

/** A face centred at (x, y) about `s` px wide; `look` (-1..1) shifts the pupils. */
export const face = (ctx: Ctx, x: number, y: number, s: number, mood: Mood, look = 0): void => {
  eyes(ctx, x, y - s * 0.1, s, mood, look);
  brows(ctx, x, y - s * 0.1, s, mood);
  mouth(ctx, x, y + s * 0.2, s, mood);
};

export interface BlobSpec {
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

export const blobLegs = (ctx: Ctx, s: number, color: string): void => {
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

export const blobArms = (ctx: Ctx, s: number, bodyW: number, color: string, arms: readonly [number, number]): void => {
  arms.forEach((angle, index) => {
    const side = index === 0 ? -1 : 1;
    const shoulder: Point = [side * bodyW * 0.42, -s * 0.52];
    const hand: Point = [shoulder[0] + side * Math.sin(angle) * s * 0.3, shoulder[1] + Math.cos(angle) * s * 0.3];
    polyline(ctx, [shoulder, hand], INK, s * 0.045);
    circle(ctx, hand[0], hand[1], s * 0.045, { fill: color, stroke: INK, lineWidth: s * 0.018 });
  });
};

/** The house character: a rounded bean with a face, stubby limbs and a lot of feelings. */
export const blob = (ctx: Ctx, spec: BlobSpec): void => {
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

export const sweatDrop = (ctx: Ctx, x: number, y: number, s: number): void => {
  ctx.beginPath();
  ctx.moveTo(x, y - s);
  ctx.quadraticCurveTo(x + s * 0.7, y, x, y + s * 0.5);
  ctx.quadraticCurveTo(x - s * 0.7, y, x, y - s);
  applyPaint(ctx, { fill: '#8fd3ff', stroke: '#2f7fb8', lineWidth: 1.5 });
};

export type Verdict = 'no' | 'yes';

export const robotHead = (ctx: Ctx, s: number, verdict: Verdict): void => {
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
export const motionMarks = (ctx: Ctx, x: number, y: number, s: number, verdict: Verdict): void => {
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

export const robotArm = (ctx: Ctx, x: number, y: number, s: number, verdict: Verdict): void => {
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

export const robot = (ctx: Ctx, x: number, groundY: number, s: number, verdict: Verdict): void => {
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

export interface CatSpec {
  readonly x: number;
  readonly y: number;
  readonly s: number;
  readonly fur: string;
  readonly stripes: string;
  readonly mood: 'smug' | 'sleepy';
}

export const catEars = (ctx: Ctx, hx: number, hy: number, r: number, fur: string): void => {
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

export const catFace = (ctx: Ctx, hx: number, hy: number, r: number, mood: CatSpec['mood']): void => {
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
export const cat = (ctx: Ctx, spec: CatSpec): void => {
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
export const duck = (ctx: Ctx, x: number, y: number, s: number, facing: -1 | 1): void => {
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
