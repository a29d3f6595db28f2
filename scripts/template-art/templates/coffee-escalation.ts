import {
  arcLine,
  box,
  type Ctx,
  INK,
  oval,
  polygon,
  polyline,
  type Scene,
  type Stops,
  TAU,
  verticalFill,
  withClip,
} from '../kit/canvas.ts';
import { mug } from '../kit/props.ts';
import { sparkle } from '../kit/scenery.ts';
import type { TemplateDefinition } from '../kit/template-definition.ts';
import { stackBoxes } from '../kit/text-layouts.ts';

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

export const coffeeEscalation: TemplateDefinition = {
  id: 'coffee-escalation',
  name: 'Coffee Escalation',
  layout: 'four-panel',
  keywords: ['coffee', 'caffeine', 'escalating', 'on-call', 'tired'],
  width: 600,
  height: 800,
  textBoxes: stackBoxes(),
  example: ['Normal Tuesday', 'Staging is down', 'Prod is down', 'DNS is down'],
  draw: drawCoffeeEscalation,
};
