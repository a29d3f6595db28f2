import { box, linear, type Scene, withClip } from '../kit/canvas.ts';
import { robot } from '../kit/characters.ts';
import type { TemplateDefinition } from '../kit/template-definition.ts';
import { PANEL_STYLE } from '../kit/text-layouts.ts';

const drawApproveRejectRobot = (scene: Scene): void => {
  const { ctx, w, h } = scene;
  box(ctx, 0, 0, w, h, { fill: '#f6f4ee' });
  box(ctx, 0, 0, w * 0.5, h * 0.5, {
    fill: linear(ctx, 0, 0, 0, h * 0.5, [
      [0, '#ffe1dc'],
      [1, '#ffc4bb'],
    ]),
  });
  box(ctx, 0, h * 0.5, w * 0.5, h * 0.5, {
    fill: linear(ctx, 0, h * 0.5, 0, h, [
      [0, '#dcf7dc'],
      [1, '#b9eab9'],
    ]),
  });
  withClip(ctx, 0, 0, w / 2, h / 2, () => robot(ctx, w * 0.22, h * 0.47, h * 0.4, 'no'));
  withClip(ctx, 0, h / 2, w / 2, h / 2, () => robot(ctx, w * 0.22, h * 0.97, h * 0.4, 'yes'));
  box(ctx, w * 0.5 - 1.5, 0, 3, h, { fill: '#222222' });
  box(ctx, 0, h * 0.5 - 1.5, w, 3, { fill: '#222222' });
};

export const approveRejectRobot: TemplateDefinition = {
  id: 'approve-reject-robot',
  name: 'Approve / Reject Robot',
  layout: 'two-panel',
  keywords: ['approve', 'reject', 'prefer', 'robot', 'yes', 'no', 'comparison'],
  width: 700,
  height: 700,
  textBoxes: [
    { x: 0.53, y: 0.03, width: 0.44, height: 0.44, style: PANEL_STYLE },
    { x: 0.53, y: 0.53, width: 0.44, height: 0.44, style: PANEL_STYLE },
  ],
  example: ['Reading the docs', 'kubectl apply and pray'],
  draw: drawApproveRejectRobot,
};
