import { applyPaint, box, oval, radial, type Scene, verticalFill } from '../kit/canvas.ts';
import { blob } from '../kit/characters.ts';
import { serverRack } from '../kit/props.ts';
import { between, pick } from '../kit/random.ts';
import type { TemplateDefinition } from '../kit/template-definition.ts';
import { CLASSIC_BOXES } from '../kit/text-layouts.ts';

const drawRackOfDoom = (scene: Scene): void => {
  const { ctx, w, h, rng } = scene;
  box(ctx, 0, 0, w, h, {
    fill: radial(ctx, w / 2, h * 0.4, 0, h * 0.8, [
      [0, '#2b3a5c'],
      [1, '#0a0d16'],
    ]),
  });
  verticalFill(ctx, 0, h * 0.84, w, h * 0.16, [
    [0, '#1a2030'],
    [1, '#0b0e15'],
  ]);
  for (let tile = 1; tile < 8; tile++)
    box(ctx, (tile * w) / 8, h * 0.84, 1, h * 0.16, { fill: 'rgba(255,255,255,0.06)' });
  serverRack(scene, w * 0.28, h * 0.1, w * 0.44, h * 0.76, 15, [4, 9]);
  // The doom: a tangle of patch cables spilling out of the rack onto the floor.
  const colors = ['#3f8efc', '#ffcc1f', '#e85d4f', '#2bb673', '#b36bff', '#ff8c2a'];
  for (let cable = 0; cable < 18; cable++) patchCable(scene, pick(rng, colors));
  for (let coil = 0; coil < 3; coil++) {
    oval(ctx, w * between(rng, 0.3, 0.7), h * between(rng, 0.9, 0.96), w * 0.07, h * 0.015, {
      stroke: pick(rng, colors),
      lineWidth: 3,
    });
  }
  blob(ctx, { x: w * 0.87, y: h * 0.9, size: h * 0.3, color: '#9ad1ff', mood: 'worried', look: -1, arms: [0.5, 2.6] });
};

/** A cable from a port on the rack's front that sags under its own weight down to the floor. */
const patchCable = (scene: Scene, color: string): void => {
  const { ctx, rng, w, h } = scene;
  const sx = w * (rng() < 0.5 ? between(rng, 0.32, 0.42) : between(rng, 0.6, 0.68));
  const sy = h * between(rng, 0.14, 0.8);
  const ex = w * between(rng, 0.08, 0.92);
  const ey = h * between(rng, 0.87, 0.98);
  ctx.beginPath();
  ctx.moveTo(sx, sy);
  ctx.bezierCurveTo(sx + (ex - sx) * 0.15, sy + (ey - sy) * 0.9, ex - (ex - sx) * 0.4, ey + h * 0.04, ex, ey);
  applyPaint(ctx, { stroke: color, lineWidth: between(rng, 3, 5) });
  box(ctx, sx - 3, sy - 3, 6, 6, { fill: '#d9dce2' }, 1);
};

export const rackOfDoom: TemplateDefinition = {
  id: 'rack-of-doom',
  name: 'Rack of Doom',
  layout: 'classic',
  keywords: ['server', 'rack', 'cables', 'homelab', 'datacenter'],
  width: 600,
  height: 720,
  textBoxes: CLASSIC_BOXES,
  example: ['just one more cable', 'said every homelabber ever'],
  draw: drawRackOfDoom,
};
