import { box, type Ctx, INK, oval, polyline, type Scene, verticalFill, withFrame } from '../kit/canvas.ts';
import { blob } from '../kit/characters.ts';
import { dashboardScreen, desk, mug } from '../kit/props.ts';
import type { TemplateDefinition } from '../kit/template-definition.ts';
import { BAR_BOXES, BAR_HEIGHT, captionBand } from '../kit/text-layouts.ts';

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

export const captionBarAllGreen: TemplateDefinition = {
  id: 'caption-bar-all-green',
  name: 'All Green (Caption Bar)',
  layout: 'caption-bar',
  keywords: ['dashboard', 'green', 'monitoring', 'relaxed', 'uptime', 'caption'],
  width: 700,
  height: 600,
  textBoxes: BAR_BOXES,
  example: ['When every check is green because the monitoring is down too'],
  draw: drawCaptionBarAllGreen,
};
