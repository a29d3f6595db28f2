import type { ObjectCache } from '@memelab/adapters';
import { AppError, decodeMemegenCaption } from '@memelab/core';
import { currentCorrelationId, parseRequestPart } from '@memelab/platform';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DoneMemeCache } from './done-meme.cache.ts';
import type { MemeService } from './meme.service.ts';
import { sendMemeImage } from './meme-image.ts';

const RENDER_WAIT_MS = 30_000;
const EXTENSIONS: Readonly<Record<string, 'png' | 'jpg' | 'webp'>> = {
  png: 'png',
  jpg: 'jpg',
  jpeg: 'jpg',
  webp: 'webp',
};

const memegenQuery = z.object({
  width: z.coerce.number().int().optional(),
  height: z.coerce.number().int().optional(),
  font: z.string().optional(),
  /** memegen's `color=<text>,<outline>`. */
  color: z.string().optional(),
});

/**
 * Splits `<template>/<line>/<line>.<ext>` (or `<template>.<ext>`) into its parts. Each
 * line is percent-decoded by the router, then memegen-unescaped. Without a known extension
 * the image is a PNG, as on memegen.
 */
export const parseMemegenPath = (
  path: string,
): { template: string; captions: string[]; format: 'png' | 'jpg' | 'webp' } => {
  const segments = path.split('/');
  const last = segments.at(-1) ?? '';
  const dot = last.lastIndexOf('.');
  const extension = dot > 0 ? EXTENSIONS[last.slice(dot + 1).toLowerCase()] : undefined;
  if (extension !== undefined) segments[segments.length - 1] = last.slice(0, dot);
  const [template = '', ...lines] = segments;
  return { template, captions: lines.map(decodeMemegenCaption), format: extension ?? 'png' };
};

/**
 * memegen.link's URL scheme: `GET /images/<template>/<top>/<bottom>.<ext>` returns the
 * image, rendering it first when it is new. A URL that named a rendered meme of a bundled
 * template before is answered from memory and does not count against the rate limit. (A
 * custom template can be deleted, which must turn its URLs into 404s on every replica, so
 * those URLs always look their template up.)
 */
export const registerMemegenRoutes = (
  app: FastifyInstance,
  deps: {
    memes: MemeService;
    done: DoneMemeCache;
    images: ObjectCache;
    isBundledTemplate: (id: string) => boolean;
    rateLimit: { max: number; timeWindow: number };
  },
): void => {
  const { memes, done, images } = deps;
  app.route({
    method: ['GET', 'HEAD'],
    url: '/images/*',
    config: { rateLimit: { ...deps.rateLimit, allowList: (request) => done.knowsUrl(request.url) } },
    handler: async (request, reply) => {
      const known = done.byUrl(request.url);
      if (known !== undefined) return sendMemeImage(request, reply, known, images);
      const path = (request.params as Record<string, string | undefined>)['*'] ?? '';
      const { template, captions, format } = parseMemegenPath(path);
      const query = parseRequestPart(memegenQuery, request.query, 'INVALID_QUERY');
      const [color, outlineColor] = (query.color ?? '').split(',').map((value) => value.trim());
      const style = {
        ...(query.font === undefined ? {} : { font: query.font }),
        ...(color ? { color } : {}),
        ...(outlineColor ? { outlineColor } : {}),
      };
      const { meme } = await memes.create(
        {
          template,
          captions,
          format,
          ...(query.width === undefined ? {} : { width: query.width }),
          ...(query.height === undefined ? {} : { height: query.height }),
          ...(Object.keys(style).length === 0 ? {} : { style }),
        },
        currentCorrelationId(),
      );
      const aborted = new AbortController();
      request.raw.once('close', () => aborted.abort());
      const settled =
        meme.status === 'queued' ? await memes.waitUntilSettled(meme.id, RENDER_WAIT_MS, aborted.signal) : meme;
      if (settled.status === 'queued') {
        reply.header('retry-after', '2');
        throw new AppError('RENDER_TIMEOUT', `Meme "${meme.id}" is still queued; try again shortly.`, { status: 503 });
      }
      if (deps.isBundledTemplate(template)) done.rememberUrl(request.url, settled);
      return sendMemeImage(request, reply, settled, images);
    },
  });
};
