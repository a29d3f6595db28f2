import { box, type Ctx, glow, polyline, type Scene, verticalFill } from '../kit/canvas.ts';
import { cat } from '../kit/characters.ts';
import { serverRack, serverUnit } from '../kit/props.ts';
import type { TemplateDefinition } from '../kit/template-definition.ts';
import { BAR_BOXES, BAR_HEIGHT, captionBand } from '../kit/text-layouts.ts';

const drawCaptionBarServerCat = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  const top = h * BAR_HEIGHT;
  verticalFill(ctx, 0, top, w, h - top, [
    [0, '#1c2233'],
    [1, '#2c3550'],
  ]);
  serverRack(scene, w * 0.04, top + h * 0.04, w * 0.2, h * 0.7, 10);
  serverRack(scene, w * 0.76, top + h * 0.04, w * 0.2, h * 0.7, 10, [3]);
  // A warm glow under the cat: the whole joke is that the server doubles as a heated bed.
  glow(ctx, w * 0.5, h * 0.66, w * 0.34, '255,140,80', 0.35);
  box(ctx, w * 0.28, h * 0.8, w * 0.44, h * 0.2, { fill: '#3a4256', stroke: '#20263a', lineWidth: 2 }, 4);
  box(ctx, w * 0.26, h * 0.79, w * 0.48, h * 0.025, { fill: '#59627b' }, 3);
  serverUnit(scene, w * 0.29, h * 0.65, w * 0.42, h * 0.14, false);
  cat(ctx, { x: w * 0.53, y: h * 0.665, s: w * 0.36, fur: '#9aa3b5', stripes: '#6b7387', mood: 'sleepy' });
  zzz(ctx, w * 0.42, h * 0.42, h * 0.035);
  captionBand(scene);
};

const zzz = (ctx: Ctx, x: number, y: number, s: number): void => {
  for (let index = 0; index < 3; index++) {
    const size = s * (1 + index * 0.3);
    const zx = x + index * s * 1.3;
    const zy = y - index * s * 1.3;
    polyline(
      ctx,
      [
        [zx, zy],
        [zx + size, zy],
        [zx, zy + size],
        [zx + size, zy + size],
      ],
      '#e8ecf7',
      Math.max(2, size * 0.16),
    );
  }
};

export const captionBarServerCat: TemplateDefinition = {
  id: 'caption-bar-server-cat',
  name: 'Server Cat (Caption Bar)',
  layout: 'caption-bar',
  keywords: ['cat', 'server', 'warm', 'sleep', 'homelab', 'caption'],
  width: 640,
  height: 600,
  textBoxes: BAR_BOXES,
  example: ['The real reason the homelab never gets powered off'],
  draw: drawCaptionBarServerCat,
};
