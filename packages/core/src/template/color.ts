import { z } from 'zod';

const NAMED_COLORS: Readonly<Record<string, string>> = {
  black: '#000000',
  white: '#ffffff',
  red: '#ff0000',
  green: '#008000',
  blue: '#0000ff',
  yellow: '#ffff00',
  orange: '#ffa500',
  purple: '#800080',
  pink: '#ffc0cb',
  gray: '#808080',
  grey: '#808080',
  cyan: '#00ffff',
  magenta: '#ff00ff',
  lime: '#00ff00',
  navy: '#000080',
  transparent: '#00000000',
};

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/;

/**
 * Normalises a colour to lowercase `#rrggbb` (or `#rrggbbaa` when not opaque), so that
 * `#FFF`, `#ffffff` and `white` give one canonical spec and one content id.
 */
export const normalizeColor = (input: string): string | undefined => {
  const value = input.trim().toLowerCase();
  const named = NAMED_COLORS[value];
  if (named !== undefined) return named;
  if (!HEX.test(value)) return undefined;
  const digits = value.slice(1);
  const full = digits.length <= 4 ? [...digits].map((digit) => digit + digit).join('') : digits;
  return full.length === 8 && full.endsWith('ff') ? `#${full.slice(0, 6)}` : `#${full}`;
};

export const colorSchema = z.string().transform((value, ctx) => {
  const color = normalizeColor(value);
  if (color === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a colour: use #rgb, #rrggbb, #rrggbbaa or a basic name`,
    });
    return z.NEVER;
  }
  return color;
});
