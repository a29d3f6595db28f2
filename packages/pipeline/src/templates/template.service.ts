import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import type { ObjectStore } from '@memelab/adapters';
import { AppError, type Template } from '@memelab/core';
import type { TemplateCatalog } from '@memelab/render';
import { readAll } from '../stream-bytes.ts';
import type { TemplateRepository } from './template.repository.ts';

export type TemplateOrigin = 'bundled' | 'custom';

export interface ResolvedTemplate {
  readonly template: Template;
  readonly origin: TemplateOrigin;
  /** Changes whenever the image does, so caches keyed by it never serve a stale image. */
  readonly imageVersion: string;
  readonly contentType: string;
  readonly openImage: () => Promise<{ body: Readable; size: number }>;
  readonly imageBytes: () => Promise<Uint8Array>;
}

export interface TemplateSearch {
  readonly query?: string;
  readonly limit: number;
  readonly offset: number;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
};

export const contentTypeOf = (fileName: string): string =>
  CONTENT_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';

/** How well a template matches a search: lower is better, undefined is no match. */
const rankOf = (template: Template, query: string): number | undefined => {
  const name = template.name.toLowerCase();
  if (template.id === query || name === query) return 0;
  if (template.id.startsWith(query) || name.startsWith(query)) return 1;
  if (template.keywords.includes(query)) return 2;
  if (template.id.includes(query) || name.includes(query)) return 3;
  if (template.keywords.some((keyword) => keyword.includes(query))) return 4;
  return undefined;
};

/** Bundled templates (files shipped with memelab) and custom ones (uploaded, in the database). */
export class TemplateService {
  constructor(
    private readonly catalog: TemplateCatalog,
    private readonly repository: TemplateRepository,
    private readonly store: ObjectStore,
  ) {}

  async find(id: string): Promise<ResolvedTemplate | undefined> {
    const bundled = this.catalog.find(id);
    if (bundled !== undefined) {
      const { imagePath, template } = bundled;
      return {
        template,
        origin: 'bundled',
        imageVersion: `bundled:${template.id}:${bundled.imageModifiedMs}`,
        contentType: contentTypeOf(imagePath),
        openImage: async () => ({ body: createReadStream(imagePath), size: bundled.imageSize }),
        imageBytes: () => readFile(imagePath),
      };
    }
    const custom = await this.repository.find(id);
    if (custom === undefined) return undefined;
    const openObject = async () => {
      const object = await this.store.get(custom.imageKey);
      if (object === undefined) {
        throw new AppError('TEMPLATE_IMAGE_MISSING', `The image of template "${id}" is missing from storage.`, {
          status: 503,
        });
      }
      return object;
    };
    return {
      template: custom.template,
      origin: 'custom',
      imageVersion: `custom:${custom.imageKey}`,
      contentType: contentTypeOf(custom.imageKey),
      openImage: async () => {
        const object = await openObject();
        return { body: object.body, size: object.size };
      },
      imageBytes: async () => readAll((await openObject()).body),
    };
  }

  async get(id: string): Promise<ResolvedTemplate> {
    const found = await this.find(id);
    if (found === undefined) throw new AppError('TEMPLATE_NOT_FOUND', `There is no template "${id}".`, { status: 404 });
    return found;
  }

  async list(): Promise<Array<{ template: Template; origin: TemplateOrigin }>> {
    const bundled = this.catalog.list().map((template) => ({ template, origin: 'bundled' as const }));
    const custom = (await this.repository.list()).map(({ template }) => ({ template, origin: 'custom' as const }));
    return [...bundled, ...custom];
  }

  /** Search by id, name and keyword, best matches first; no query lists everything. */
  async search({ query, limit, offset }: TemplateSearch) {
    const all = await this.list();
    const needle = query?.trim().toLowerCase() ?? '';
    const matches =
      needle === ''
        ? all
        : all
            .map((entry) => ({ entry, rank: rankOf(entry.template, needle) }))
            .filter((match): match is { entry: (typeof all)[number]; rank: number } => match.rank !== undefined)
            .sort((a, b) => a.rank - b.rank || a.entry.template.name.localeCompare(b.entry.template.name))
            .map((match) => match.entry);
    return { total: matches.length, items: matches.slice(offset, offset + limit) };
  }

  isBundled(id: string): boolean {
    return this.catalog.find(id) !== undefined;
  }
}
