import type { Template, TextBox, TextStyleOverride } from '@memelab/core';

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
  /** The request the meme was made from (its captions give the picture a text alternative). */
  readonly spec?: { readonly captions?: readonly string[] };
  readonly links: MemeLinks;
}

export interface MemePage {
  readonly items: readonly MemeResource[];
  readonly nextCursor: string | null;
}

/** What the page sends to create a meme. */
export interface MemeRequest {
  readonly template?: string;
  readonly background?: string;
  readonly captions: readonly string[];
  /** Text boxes of the user's own, replacing the template's. */
  readonly boxes?: readonly TextBox[];
  readonly style?: TextStyleOverride;
  readonly format?: 'png' | 'jpg' | 'webp';
}

/** A picture of the user's own, as POST /api/backgrounds stored it. */
export interface UploadedBackground {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

/** What POST /api/templates takes besides the image. */
export interface TemplateConfig {
  readonly name: string;
  readonly keywords: readonly string[];
  readonly textBoxes: readonly TextBox[];
}
