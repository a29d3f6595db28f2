import type { Template, TextStyleOverride } from '@memelab/core';

/** A template as GET /api/templates returns it. */
export interface TemplateResource extends Template {
  readonly origin: 'bundled' | 'custom';
  readonly links: { readonly self: string; readonly image: string };
}

export interface TemplatePage {
  readonly total: number;
  readonly items: readonly TemplateResource[];
}

export type MemeStatus = 'queued' | 'rendering' | 'done' | 'failed';

export interface MemeLinks {
  readonly self: string;
  readonly image: string;
  readonly events: string;
  /** Present when the meme can be written as a memegen.link-style URL. */
  readonly memegen?: string;
}

/** A meme as the API presents it, in responses and in event streams. */
export interface MemeResource {
  readonly id: string;
  readonly status: MemeStatus;
  readonly template: string | null;
  readonly format: string;
  readonly width: number;
  readonly height: number;
  readonly failureReason: string | null;
  readonly createdAt: string;
  readonly links: MemeLinks;
}

export interface MemePage {
  readonly items: readonly MemeResource[];
  readonly nextCursor: string | null;
}

/** What the page sends to create a meme. */
export interface MemeRequest {
  readonly template: string;
  readonly captions: readonly string[];
  readonly style?: TextStyleOverride;
  readonly format?: 'png' | 'jpg' | 'webp';
}
