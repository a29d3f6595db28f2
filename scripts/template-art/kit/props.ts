/** Props: server racks, monitors, desks, mugs, buttons, signs and other objects. */
import {
  applyPaint,
  arcLine,
  box,
  type Ctx,
  circle,
  glow,
  INK,
  linear,
  oval,
  type Point,
  polygon,
  polyline,
  radial,
  type Scene,
  TAU,
  withClip,
} from './canvas.ts';
import { wavyLine } from './characters.ts';
import { between, pick } from './random.ts';

export const LED = { green: '#3ddc84', amber: '#ffb020', blue: '#4aa8ff', red: '#ff3b30' } as const;

export const serverUnit = (scene: Scene, x: number, y: number, w: number, h: number, alert: boolean): void => {
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

export const serverRack = (
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

export const codeLines = (
  scene: Scene,
  x: number,
  y: number,
  w: number,
  h: number,
  palette: readonly string[],
): void => {
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

export const monitor = (scene: Scene, x: number, y: number, w: number, h: number, palette: readonly string[]): void => {
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

export const keyboard = (ctx: Ctx, x: number, y: number, w: number, h: number): void => {
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

export const mug = (ctx: Ctx, x: number, bottomY: number, s: number, color: string, steam: boolean): void => {
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

export const desk = (ctx: Ctx, x: number, y: number, w: number, h: number): void => {
  box(ctx, x, y, w, h * 0.12, { fill: '#a8703f' }, 3);
  box(ctx, x, y + h * 0.1, w, h * 0.9, {
    fill: linear(ctx, 0, y, 0, y + h, [
      [0, '#8a5a31'],
      [1, '#6b4426'],
    ]),
  });
};

/** A ship's wheel: the sailing-themed logo every orchestrator seems to want. */
export const shipWheel = (ctx: Ctx, x: number, y: number, r: number, color: string, spokes: number): void => {
  for (let spoke = 0; spoke < spokes; spoke++) {
    const angle = (spoke / spokes) * TAU - Math.PI / 2;
    const tip: Point = [x + Math.cos(angle) * r * 1.28, y + Math.sin(angle) * r * 1.28];
    polyline(ctx, [[x, y], tip], color, r * 0.09);
    circle(ctx, tip[0], tip[1], r * 0.09, { fill: color });
  }
  circle(ctx, x, y, r, { stroke: color, lineWidth: r * 0.13 });
  circle(ctx, x, y, r * 0.22, { fill: color });
};

export const containerShip = (scene: Scene, x: number, waterY: number, w: number): void => {
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

export const bigButton = (ctx: Ctx, x: number, y: number, r: number, top: string, side: string): void => {
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

export const hazardStripes = (ctx: Ctx, x: number, y: number, w: number, h: number): void => {
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
export const lightbulb = (scene: Scene, x: number, y: number, s: number, level: number): void => {
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

export const pagerDevice = (ctx: Ctx, x: number, y: number, w: number, h: number): void => {
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

export const carRear = (ctx: Ctx, x: number, y: number, w: number, color: string): void => {
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

export const upArrow = (ctx: Ctx, x: number, y: number, s: number): void => {
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

export const exitArrow = (ctx: Ctx, x: number, y: number, s: number): void => {
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

export const dashboardScreen = (scene: Scene, x: number, y: number, w: number, h: number): void => {
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

export const checkBadge = (ctx: Ctx, x: number, y: number, r: number): void => {
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
