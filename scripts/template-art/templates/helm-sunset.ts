import { box, circle, glow, linear, polyline, type Scene, verticalFill, withClip } from '../kit/canvas.ts';
import { containerShip, shipWheel } from '../kit/props.ts';
import { stars } from '../kit/scenery.ts';
import type { TemplateDefinition } from '../kit/template-definition.ts';
import { CLASSIC_BOXES } from '../kit/text-layouts.ts';

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

export const helmSunset: TemplateDefinition = {
  id: 'helm-sunset',
  name: 'Helm Sunset',
  layout: 'classic',
  keywords: ['kubernetes', 'helm', 'containers', 'sunset', 'ship', 'sailing'],
  width: 720,
  height: 540,
  textBoxes: CLASSIC_BOXES,
  example: ['deployed on friday at 5pm', 'sailing into the weekend'],
  draw: drawHelmSunset,
};
