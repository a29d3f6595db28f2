import { box, circle, linear, type Scene, verticalFill } from '../kit/canvas.ts';
import { blob, sweatDrop } from '../kit/characters.ts';
import { bigButton, hazardStripes } from '../kit/props.ts';
import type { TemplateDefinition } from '../kit/template-definition.ts';
import { LABEL_STYLE } from '../kit/text-layouts.ts';

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

export const twoButtonsDeploy: TemplateDefinition = {
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
};
