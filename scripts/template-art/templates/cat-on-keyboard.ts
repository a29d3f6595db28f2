import { box, type Scene, verticalFill } from '../kit/canvas.ts';
import { cat } from '../kit/characters.ts';
import { desk, keyboard, monitor, mug } from '../kit/props.ts';
import type { TemplateDefinition } from '../kit/template-definition.ts';
import { CLASSIC_BOXES } from '../kit/text-layouts.ts';

const drawCatOnKeyboard = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  verticalFill(ctx, 0, 0, w, h, [
    [0, '#bfe3dc'],
    [1, '#8fc7c4'],
  ]);
  box(ctx, w * 0.06, h * 0.08, w * 0.14, h * 0.2, { fill: '#f6f1e4', stroke: '#6b8f8c', lineWidth: 3 }, 4);
  monitor(scene, w * 0.24, h * 0.1, w * 0.52, h * 0.42, ['#ff6b6b', '#ff6b6b', '#ffd166', '#7bdff2', '#c3c7d4']);
  desk(ctx, 0, h * 0.6, w, h * 0.4);
  keyboard(ctx, w * 0.16, h * 0.67, w * 0.68, h * 0.14);
  cat(ctx, { x: w * 0.52, y: h * 0.8, s: w * 0.42, fur: '#f2a65a', stripes: '#c9772e', mood: 'smug' });
  mug(ctx, w * 0.9, h * 0.72, h * 0.09, '#e85d4f', true);
};

export const catOnKeyboard: TemplateDefinition = {
  id: 'cat-on-keyboard',
  name: 'Cat on Keyboard',
  layout: 'classic',
  keywords: ['cat', 'keyboard', 'typo', 'desk', 'pets'],
  width: 640,
  height: 560,
  textBoxes: CLASSIC_BOXES,
  example: ['who pushed to main?', 'the cat has merge rights'],
  draw: drawCatOnKeyboard,
};
