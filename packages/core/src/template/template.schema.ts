import { z } from 'zod';
import { FONT_IDS } from '../fonts/font-catalog.ts';
import { LIMITS } from '../limits.ts';
import { colorSchema } from './color.ts';

export const TEXT_CASES = ['upper', 'lower', 'none'] as const;
export type TextCase = (typeof TEXT_CASES)[number];

/** A fraction of the image's width or height. */
const fraction = z.number().min(0).max(1);

/** The classic meme look, and every style field's default: white Anton, black outline, upper case. */
export const DEFAULT_TEXT_STYLE = {
  font: 'anton',
  color: '#ffffff',
  outlineColor: '#000000',
  outlineRatio: 0.1,
  case: 'upper',
  maxFontRatio: 0.12,
} as const;

export const textStyleSchema = z.strictObject({
  font: z.enum(FONT_IDS).default(DEFAULT_TEXT_STYLE.font),
  color: colorSchema.default(DEFAULT_TEXT_STYLE.color),
  outlineColor: colorSchema.default(DEFAULT_TEXT_STYLE.outlineColor),
  /** Outline width as a fraction of the font size, so it scales with the text. */
  outlineRatio: z.number().min(0).max(0.3).default(DEFAULT_TEXT_STYLE.outlineRatio),
  case: z.enum(TEXT_CASES).default(DEFAULT_TEXT_STYLE.case),
  /** Largest font size as a fraction of the image height; short captions stop growing here. */
  maxFontRatio: z.number().gt(0).max(1).default(DEFAULT_TEXT_STYLE.maxFontRatio),
});
export type TextStyle = z.output<typeof textStyleSchema>;

/** Style fields a meme may override; every field optional, nothing defaulted. */
export const textStyleOverrideSchema = z.strictObject({
  font: z.enum(FONT_IDS).optional(),
  color: colorSchema.optional(),
  outlineColor: colorSchema.optional(),
  outlineRatio: z.number().min(0).max(0.3).optional(),
  case: z.enum(TEXT_CASES).optional(),
  maxFontRatio: z.number().gt(0).max(1).optional(),
});
export type TextStyleOverride = z.output<typeof textStyleOverrideSchema>;

export const textBoxSchema = z
  .strictObject({
    /** Left edge, top edge, width and height as fractions of the image. */
    x: fraction,
    y: fraction,
    width: fraction.refine((value) => value >= 0.02, 'a text box must be at least 2% of the image wide'),
    height: fraction.refine((value) => value >= 0.02, 'a text box must be at least 2% of the image high'),
    align: z.enum(['left', 'center', 'right']).default('center'),
    verticalAlign: z.enum(['top', 'middle', 'bottom']).default('middle'),
    /** Clockwise rotation around the box centre, in degrees. */
    rotation: z.number().min(-180).max(180).default(0),
    style: textStyleSchema.default(textStyleSchema.parse({})),
  })
  .refine((box) => box.x + box.width <= 1.0001 && box.y + box.height <= 1.0001, {
    message: 'a text box must lie inside the image',
  });
export type TextBox = z.output<typeof textBoxSchema>;
export type TextBoxInput = z.input<typeof textBoxSchema>;

export const TEMPLATE_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export const templateIdSchema = z
  .string()
  .regex(TEMPLATE_ID_PATTERN, 'a template id is 1-64 lowercase letters, digits and inner dashes');

export const templateSchema = z.strictObject({
  id: templateIdSchema,
  name: z.string().trim().min(1).max(100),
  keywords: z.array(z.string().trim().toLowerCase().min(1).max(40)).max(30).default([]),
  source: z.strictObject({
    author: z.string().min(1).max(200),
    licence: z.string().min(1).max(100),
    url: z.url().optional(),
  }),
  /** File name of the background image, relative to the template's folder or store. */
  image: z.string().min(1).max(200),
  width: z.int().min(LIMITS.minOutputEdge).max(LIMITS.maxOutputEdge),
  height: z.int().min(LIMITS.minOutputEdge).max(LIMITS.maxOutputEdge),
  textBoxes: z.array(textBoxSchema).min(1).max(LIMITS.maxCaptions),
  /** Sample captions shown in the gallery and used by tests. */
  example: z.array(z.string().max(LIMITS.maxCaptionLength)).max(LIMITS.maxCaptions).default([]),
});
export type Template = z.output<typeof templateSchema>;
export type TemplateInput = z.input<typeof templateSchema>;
