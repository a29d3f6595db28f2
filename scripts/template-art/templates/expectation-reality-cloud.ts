import {
  arcLine,
  box,
  circle,
  glow,
  polygon,
  polyline,
  type Scene,
  TAU,
  verticalFill,
  withClip,
} from '../kit/canvas.ts';
import { face } from '../kit/characters.ts';
import { LED } from '../kit/props.ts';
import { between } from '../kit/random.ts';
import { cloud, hills } from '../kit/scenery.ts';
import type { TemplateDefinition } from '../kit/template-definition.ts';
import { PANEL_STYLE } from '../kit/text-layouts.ts';

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

export const expectationRealityCloud: TemplateDefinition = {
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
};
