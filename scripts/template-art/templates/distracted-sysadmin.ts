import { glow, polygon, type Scene, verticalFill } from '../kit/canvas.ts';
import { blob } from '../kit/characters.ts';
import { cloud, skyline, sparkle, tree } from '../kit/scenery.ts';
import type { TemplateDefinition } from '../kit/template-definition.ts';
import { LABEL_STYLE } from '../kit/text-layouts.ts';

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

export const distractedSysadmin: TemplateDefinition = {
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
};
