import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { templateIdSchema, textBoxSchema, textStyleOverrideSchema } from '../template/template.schema.ts';

export const OUTPUT_FORMATS = ['png', 'jpg', 'webp'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const codePointLength = (text: string): number => {
  let count = 0;
  for (const _ of text) count++;
  return count;
};

export const captionSchema = z
  .string()
  .refine((text) => codePointLength(text) <= LIMITS.maxCaptionLength, {
    message: `a caption is at most ${LIMITS.maxCaptionLength} characters`,
  })
  .refine((text) => text.split('\n').length <= LIMITS.maxCaptionLines, {
    message: `a caption has at most ${LIMITS.maxCaptionLines} lines`,
  });

const edge = z.int().min(LIMITS.minOutputEdge).max(LIMITS.maxOutputEdge);

/** An uploaded background, named by the content hash the upload returned. */
export const backgroundIdSchema = z.string().regex(/^[a-z2-7]{24}$/, 'a background id is 24 base32 characters');

export const memeSpecSchema = z
  .strictObject({
    template: templateIdSchema.optional(),
    background: backgroundIdSchema.optional(),
    captions: z.array(captionSchema).max(LIMITS.maxCaptions).default([]),
    /** Replaces the template's text boxes (text placed anywhere); required with a background. */
    boxes: z.array(textBoxSchema).min(1).max(LIMITS.maxCaptions).optional(),
    style: textStyleOverrideSchema.optional(),
    format: z
      .enum([...OUTPUT_FORMATS, 'jpeg'])
      .default('jpg')
      .transform((format): OutputFormat => (format === 'jpeg' ? 'jpg' : format)),
    width: edge.optional(),
    height: edge.optional(),
  })
  .superRefine((spec, ctx) => {
    if ((spec.template === undefined) === (spec.background === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['template'], message: 'give exactly one of template or background' });
    }
    if (spec.background !== undefined && spec.boxes === undefined) {
      ctx.addIssue({ code: 'custom', path: ['boxes'], message: 'a meme on a custom background needs text boxes' });
    }
    if (spec.width !== undefined && spec.height !== undefined && spec.width * spec.height > LIMITS.maxOutputPixels) {
      ctx.addIssue({
        code: 'custom',
        path: ['width'],
        message: `the output is at most ${LIMITS.maxOutputPixels} pixels`,
      });
    }
  });

export type MemeSpec = z.output<typeof memeSpecSchema>;
export type MemeSpecInput = z.input<typeof memeSpecSchema>;
