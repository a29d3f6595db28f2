import { arcLine, box, circle, type Scene, verticalFill, withClip } from '../kit/canvas.ts';
import { blob } from '../kit/characters.ts';
import { pagerDevice } from '../kit/props.ts';
import { stars } from '../kit/scenery.ts';
import type { TemplateDefinition } from '../kit/template-definition.ts';
import { CLASSIC_BOXES } from '../kit/text-layouts.ts';

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

export const pagerPanic: TemplateDefinition = {
  id: 'pager-panic',
  name: 'Pager Panic',
  layout: 'classic',
  keywords: ['pager', 'on-call', 'alert', 'night', 'sleep', 'incident'],
  width: 600,
  height: 600,
  textBoxes: CLASSIC_BOXES,
  example: ['3:14 am', 'disk 81% full on a test box'],
  draw: drawPagerPanic,
};
