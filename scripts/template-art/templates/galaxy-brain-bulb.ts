import { box, glow, type Scene, type Stops, verticalFill, withClip } from '../kit/canvas.ts';
import { lightbulb } from '../kit/props.ts';
import { sparkle, stars } from '../kit/scenery.ts';
import type { TemplateDefinition } from '../kit/template-definition.ts';
import { stackBoxes } from '../kit/text-layouts.ts';

/** Each row's art background darkens toward deep space as the idea gets bigger. */
const BRAIN_ROWS: readonly Stops[] = [
  [
    [0, '#eef3f8'],
    [1, '#d7e2ee'],
  ],
  [
    [0, '#2f3f6e'],
    [1, '#24305a'],
  ],
  [
    [0, '#251a57'],
    [1, '#1a1242'],
  ],
  [
    [0, '#0b0420'],
    [1, '#1d0838'],
  ],
];

const drawGalaxyBrainBulb = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  const rowH = h / 4;
  BRAIN_ROWS.forEach((stops, row) => {
    const y = row * rowH;
    box(ctx, 0, y, w / 2, rowH, { fill: row % 2 === 0 ? '#f8f6f0' : '#f1eee6' });
    verticalFill(ctx, w / 2, y, w / 2, rowH, stops);
    withClip(ctx, w / 2, y, w / 2, rowH, () => {
      if (row >= 1) stars(scene, w / 2, y, w / 2, rowH, row * 18);
      if (row === 3) {
        glow(ctx, w * 0.62, y + rowH * 0.3, rowH * 0.6, '200,80,255', 0.45);
        glow(ctx, w * 0.9, y + rowH * 0.8, rowH * 0.5, '80,160,255', 0.4);
      }
      lightbulb(scene, w * 0.75, y + rowH * 0.47, rowH * 0.72, row);
      if (row === 3) {
        for (const [sx, sy] of [
          [0.57, 0.2],
          [0.93, 0.25],
          [0.6, 0.8],
          [0.91, 0.75],
        ] as const)
          sparkle(ctx, w * sx, y + rowH * sy, rowH * 0.06, '#ffffff');
      }
    });
    if (row > 0) box(ctx, 0, y - 1.5, w, 3, { fill: '#222222' });
  });
  box(ctx, w / 2 - 1.5, 0, 3, h, { fill: '#222222' });
};

export const galaxyBrainBulb: TemplateDefinition = {
  id: 'galaxy-brain-bulb',
  name: 'Galaxy Brain Bulb',
  layout: 'four-panel',
  keywords: ['brain', 'idea', 'lightbulb', 'escalating', 'enlightened', 'galaxy'],
  width: 600,
  height: 800,
  textBoxes: stackBoxes(),
  example: ['Restart the pod', 'Restart the node', 'Restart the cluster', 'Restart your career as a farmer'],
  draw: drawGalaxyBrainBulb,
};
