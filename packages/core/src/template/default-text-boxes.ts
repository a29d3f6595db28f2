import { type TextBox, textBoxSchema } from './template.schema.ts';

/**
 * Boxes for a background that comes without any: the classic top and bottom captions for
 * one or two texts, evenly stacked rows for more.
 */
export const defaultTextBoxes = (count: number): TextBox[] => {
  if (count <= 2) {
    const top = textBoxSchema.parse({ x: 0.03, y: 0.02, width: 0.94, height: 0.22, verticalAlign: 'top' });
    const bottom = textBoxSchema.parse({ x: 0.03, y: 0.76, width: 0.94, height: 0.22, verticalAlign: 'bottom' });
    return count <= 1 ? [top] : [top, bottom];
  }
  const rowHeight = 0.96 / count;
  return Array.from({ length: count }, (_, index) =>
    textBoxSchema.parse({ x: 0.03, y: 0.02 + index * rowHeight, width: 0.94, height: rowHeight }),
  );
};
