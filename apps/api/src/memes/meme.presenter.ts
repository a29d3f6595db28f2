import { encodeMemegenCaption } from '@memelab/core';
import type { Meme } from '@memelab/pipeline';

export interface MemeLinks {
  readonly self: string;
  readonly image: string;
  readonly events: string;
  /** The memegen-compatible URL of the same meme, where the spec can be written as one. */
  readonly memegen?: string;
}

export const memeImagePath = (meme: Pick<Meme, 'id' | 'format'>): string => `/m/${meme.id}.${meme.format}`;

/** memegen URLs carry a template, captions and size only; other specs have no such URL. */
export const memegenPath = (meme: Meme): string | undefined => {
  const { spec } = meme;
  if (spec.template === undefined || spec.boxes !== undefined || spec.style !== undefined) return undefined;
  const lines =
    spec.captions.length === 0 ? [] : spec.captions.map((caption) => encodeURIComponent(encodeMemegenCaption(caption)));
  const path = [`/images/${spec.template}`, ...lines].join('/');
  const query = new URLSearchParams();
  if (spec.width !== undefined) query.set('width', String(spec.width));
  if (spec.height !== undefined) query.set('height', String(spec.height));
  const search = query.size === 0 ? '' : `?${query.toString()}`;
  return `${path}.${spec.format}${search}`;
};

export const presentMeme = (meme: Meme) => {
  const memegen = memegenPath(meme);
  const links: MemeLinks = {
    self: `/api/memes/${meme.id}`,
    image: memeImagePath(meme),
    events: `/api/memes/${meme.id}/events`,
    ...(memegen === undefined ? {} : { memegen }),
  };
  return {
    id: meme.id,
    status: meme.status,
    template: meme.templateId,
    format: meme.format,
    width: meme.width,
    height: meme.height,
    bytes: meme.bytes,
    attempts: meme.attempts,
    failureReason: meme.failureReason,
    createdAt: meme.createdAt.toISOString(),
    renderedAt: meme.renderedAt?.toISOString() ?? null,
    spec: meme.spec,
    links,
  };
};

export type MemeResource = ReturnType<typeof presentMeme>;
