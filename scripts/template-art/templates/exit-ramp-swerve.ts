import { applyPaint, box, type Ctx, polygon, polyline, type Scene, verticalFill, withFrame } from '../kit/canvas.ts';
import { carRear, exitArrow, upArrow } from '../kit/props.ts';
import { cloud, hills, tree } from '../kit/scenery.ts';
import type { TemplateDefinition } from '../kit/template-definition.ts';
import { LABEL_STYLE } from '../kit/text-layouts.ts';

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

export const exitRampSwerve: TemplateDefinition = {
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
};
