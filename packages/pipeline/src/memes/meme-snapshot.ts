import { type MemeSpec, OUTPUT_FORMATS } from '@memelab/core';
import { z } from 'zod';
import type { Meme } from './meme.ts';

/**
 * A meme as plain JSON, carried in the `meme.rendered` event so that API instances can
 * show a newly rendered meme (live feed, waiting clients) without reading it back from
 * the database, once per event rather than once per listening browser.
 */
export type MemeSnapshot = Readonly<Record<string, unknown>>;

export const toMemeSnapshot = (meme: Meme): MemeSnapshot => ({
  ...meme,
  createdAt: meme.createdAt.toISOString(),
  publishedAt: meme.publishedAt?.toISOString() ?? null,
  renderedAt: meme.renderedAt?.toISOString() ?? null,
});

const isoDate = z.iso.datetime().transform((value) => new Date(value));

const snapshotSchema = z.object({
  id: z.string().min(1),
  // Written by our own workers from the stored row; trusted as much as the row itself.
  spec: z.record(z.string(), z.unknown()).transform((spec) => spec as unknown as MemeSpec),
  templateId: z.string().nullable(),
  status: z.enum(['queued', 'done', 'failed']),
  format: z.enum(OUTPUT_FORMATS),
  objectKey: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  bytes: z.number().int().nullable(),
  attempts: z.number().int(),
  failureReason: z.string().nullable(),
  correlationId: z.string().nullable(),
  createdAt: isoDate,
  publishedAt: isoDate.nullable(),
  renderedAt: isoDate.nullable(),
});

/** The meme an event carries, or undefined when it carries none (older workers) or a malformed one. */
export const fromMemeSnapshot = (value: unknown): Meme | undefined => {
  const parsed = snapshotSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};
