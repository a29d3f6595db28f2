import { type Scene, verticalFill } from '../kit/canvas.ts';
import { blob } from '../kit/characters.ts';
import { desk, mug, serverRack } from '../kit/props.ts';
import { flameRow, smoke } from '../kit/scenery.ts';
import type { TemplateDefinition } from '../kit/template-definition.ts';
import { CLASSIC_BOXES } from '../kit/text-layouts.ts';

const drawThisIsFine = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  verticalFill(ctx, 0, 0, w, h, [
    [0, '#4b3b3a'],
    [0.5, '#b5562c'],
    [1, '#f08a3c'],
  ]);
  smoke(scene, 0, h * 0.3, 24);
  for (const rx of [0.02, 0.16, 0.72, 0.86]) serverRack(scene, w * rx, h * 0.22, w * 0.12, h * 0.56, 10, [2, 6]);
  verticalFill(ctx, 0, h * 0.78, w, h * 0.22, [
    [0, '#5b3a29'],
    [1, '#3a2419'],
  ]);
  for (const rx of [0.08, 0.22, 0.78, 0.92]) flameRow(scene, w * (rx - 0.06), w * (rx + 0.06), h * 0.24, 30, 70);
  blob(ctx, { x: w * 0.5, y: h * 0.78, size: h * 0.42, color: '#f7d774', mood: 'calm', arms: [0.3, 1.2] });
  desk(ctx, w * 0.3, h * 0.62, w * 0.4, h * 0.2);
  mug(ctx, w * 0.6, h * 0.63, h * 0.08, '#ffffff', true);
  flameRow(scene, -10, w * 0.3, h * 0.86, 40, 110);
  flameRow(scene, w * 0.7, w + 10, h * 0.86, 40, 110);
  flameRow(scene, w * 0.28, w * 0.72, h * 1.0, 20, 55);
};

export const thisIsFineDatacenter: TemplateDefinition = {
  id: 'this-is-fine-datacenter',
  name: 'This Is Fine (Datacenter)',
  layout: 'classic',
  keywords: ['fire', 'fine', 'outage', 'incident', 'datacenter', 'calm'],
  width: 720,
  height: 560,
  textBoxes: CLASSIC_BOXES,
  example: ['all pods crashlooping', 'dashboard says 99.9% uptime'],
  draw: drawThisIsFine,
};
