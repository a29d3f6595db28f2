import { LIMITS, type TextBox, textBoxSchema } from '@memelab/core';

/** The API's smallest box edge, as a fraction of the image. */
export const MIN_BOX_EDGE = 0.02;
export const MAX_BOXES = LIMITS.maxCaptions;

/** Four decimals keep specs short while staying finer than a pixel on a 2048 px image. */
const round = (value: number): number => Math.round(value * 10_000) / 10_000;
const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/** The box moved by (dx, dy), stopped at the image's edges. */
export const moveBox = (box: TextBox, dx: number, dy: number): TextBox => {
  const width = clamp(round(box.width), MIN_BOX_EDGE, 1);
  const height = clamp(round(box.height), MIN_BOX_EDGE, 1);
  return {
    ...box,
    width,
    height,
    x: clamp(round(box.x + dx), 0, round(1 - width)),
    y: clamp(round(box.y + dy), 0, round(1 - height)),
  };
};

/** The box with its bottom-right corner moved by (dw, dh), never smaller than the minimum nor past the image. */
export const resizeBox = (box: TextBox, dw: number, dh: number): TextBox => ({
  ...box,
  width: clamp(round(box.width + dw), MIN_BOX_EDGE, round(1 - box.x)),
  height: clamp(round(box.height + dh), MIN_BOX_EDGE, round(1 - box.y)),
});

/** A box for one more caption, in the middle, styled like the first box so it reads as part of the meme. */
export const newBox = (existing: readonly TextBox[]): TextBox => {
  const box = textBoxSchema.parse({ x: 0.2, y: 0.4, width: 0.6, height: 0.2 });
  const style = existing[0]?.style;
  return style === undefined ? box : { ...box, style };
};

export const sameBoxes = (a: readonly TextBox[], b: readonly TextBox[]): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

/** Where a box sits, so each caption's label says which one it fills. */
export const boxPosition = (box: TextBox): string => {
  const middle = box.y + box.height / 2;
  if (middle < 1 / 3) return 'top';
  if (middle > 2 / 3) return 'bottom';
  return 'middle';
};
