/** Text box styles and the layouts the templates share. */
import { DEFAULT_TEXT_STYLE, type TextBoxInput, type TextStyle } from '../../../packages/core/src/index.ts';
import { box, type Scene } from './canvas.ts';

/** The defaults, written out in full so each template.json reads on its own. */
export const CLASSIC_STYLE: TextStyle = { ...DEFAULT_TEXT_STYLE };

export const PANEL_STYLE: TextStyle = {
  font: 'noto-sans',
  color: '#111111',
  outlineColor: '#ffffff',
  outlineRatio: 0,
  case: 'none',
  maxFontRatio: 0.07,
};

export const STACK_STYLE: TextStyle = { ...PANEL_STYLE, maxFontRatio: 0.055 };

export const LABEL_STYLE: TextStyle = { ...CLASSIC_STYLE, maxFontRatio: 0.07 };

export const BAR_STYLE: TextStyle = {
  font: 'noto-sans',
  color: '#000000',
  outlineColor: '#ffffff',
  outlineRatio: 0,
  case: 'none',
  maxFontRatio: 0.075,
};

export const CLASSIC_BOXES: readonly TextBoxInput[] = [
  { x: 0.03, y: 0.02, width: 0.94, height: 0.22, verticalAlign: 'top', style: CLASSIC_STYLE },
  { x: 0.03, y: 0.76, width: 0.94, height: 0.22, verticalAlign: 'bottom', style: CLASSIC_STYLE },
];

/** The caption band of the "caption bar" layout, as a fraction of the height. */
export const BAR_HEIGHT = 0.25;

export const BAR_BOXES: readonly TextBoxInput[] = [
  { x: 0.04, y: 0.02, width: 0.92, height: 0.21, align: 'left', style: BAR_STYLE },
];

/** Rounded so float noise (0.7650000000000001) never reaches the committed JSON. */
export const stackBoxes = (): TextBoxInput[] =>
  [0, 1, 2, 3].map((row) => ({
    x: 0.03,
    y: Number((row * 0.25 + 0.015).toFixed(3)),
    width: 0.44,
    height: 0.22,
    style: STACK_STYLE,
  }));

export const captionBand = (scene: Scene): void => {
  box(scene.ctx, 0, 0, scene.w, scene.h * BAR_HEIGHT, { fill: '#ffffff' });
  box(scene.ctx, 0, scene.h * BAR_HEIGHT - 1, scene.w, 2, { fill: '#d9d9d9' });
};
