import { box, glow, polyline, type Scene, verticalFill } from '../kit/canvas.ts';
import { duck } from '../kit/characters.ts';
import { desk, monitor, mug } from '../kit/props.ts';
import type { TemplateDefinition } from '../kit/template-definition.ts';
import { BAR_BOXES, BAR_HEIGHT, captionBand } from '../kit/text-layouts.ts';

const drawCaptionBarDuck = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  const top = h * BAR_HEIGHT;
  verticalFill(ctx, 0, top, w, h - top, [
    [0, '#2d3350'],
    [1, '#454d73'],
  ]);
  box(ctx, w * 0.72, top + h * 0.06, w * 0.2, h * 0.16, { fill: '#f2d16b', stroke: '#1c2033', lineWidth: 4 }, 4);
  polyline(
    ctx,
    [
      [w * 0.74, top + h * 0.19],
      [w * 0.8, top + h * 0.14],
      [w * 0.86, top + h * 0.17],
      [w * 0.9, top + h * 0.1],
    ],
    '#e85d4f',
    3,
  );
  monitor(scene, w * 0.06, top + h * 0.06, w * 0.5, h * 0.34, ['#7bdff2', '#ffd166', '#c3c7d4', '#f78fb3', '#a3e635']);
  glow(ctx, w * 0.31, top + h * 0.23, w * 0.45, '123,223,242', 0.15);
  desk(ctx, 0, h * 0.82, w, h * 0.18);
  mug(ctx, w * 0.12, h * 0.86, h * 0.08, '#4aa8ff', true);
  duck(ctx, w * 0.7, h * 0.86, w * 0.36, -1);
  captionBand(scene);
};

export const captionBarDuck: TemplateDefinition = {
  id: 'caption-bar-duck',
  name: 'Rubber Duck (Caption Bar)',
  layout: 'caption-bar',
  keywords: ['duck', 'debugging', 'rubber duck', 'code', 'caption'],
  width: 640,
  height: 640,
  textBoxes: BAR_BOXES,
  example: ['Me explaining the bug to the duck and realising it was YAML indentation'],
  draw: drawCaptionBarDuck,
};
