import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, inServerBundle, parseOrThrow, type Template, templateSchema } from '@memelab/core';

/** The templates shipped with memelab: `templates/` at the repository root, or beside the server bundle. */
export const BUNDLED_TEMPLATES_DIR = fileURLToPath(
  new URL(inServerBundle() ? './templates/' : '../../../../templates/', import.meta.url),
);

export interface CatalogEntry {
  readonly template: Template;
  readonly imagePath: string;
  /** Size and modification time of the image at load: a version for caches, read once. */
  readonly imageSize: number;
  readonly imageModifiedMs: number;
}

/**
 * Templates read from a directory of `<id>/template.json` plus image. Every config is
 * validated at load; a broken one stops start-up with its path and problems, rather than
 * failing a user's meme later.
 */
export class TemplateCatalog {
  private constructor(private readonly entries: ReadonlyMap<string, CatalogEntry>) {}

  static async load(directory: string = BUNDLED_TEMPLATES_DIR): Promise<TemplateCatalog> {
    const folders = (await readdir(directory, { withFileTypes: true })).filter((entry) => entry.isDirectory());
    const entries = new Map<string, CatalogEntry>();
    for (const folder of folders.sort((a, b) => a.name.localeCompare(b.name))) {
      const configPath = join(directory, folder.name, 'template.json');
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(configPath, 'utf8'));
      } catch (cause) {
        throw new Error(`Cannot read template config ${configPath}: ${String(cause)}`, { cause });
      }
      const template = parseOrThrow(templateSchema, raw, 'INVALID_TEMPLATE', `Template ${configPath} is not valid.`);
      if (template.id !== folder.name) {
        throw new Error(`Template ${configPath} has id "${template.id}" but lives in folder "${folder.name}"`);
      }
      const imagePath = join(directory, folder.name, template.image);
      let image: Awaited<ReturnType<typeof stat>>;
      try {
        image = await stat(imagePath);
      } catch (cause) {
        throw new Error(
          `Template ${configPath} names image ${template.image}, which cannot be read: ${String(cause)}`,
          {
            cause,
          },
        );
      }
      entries.set(template.id, { template, imagePath, imageSize: image.size, imageModifiedMs: image.mtimeMs });
    }
    return new TemplateCatalog(entries);
  }

  list(): Template[] {
    return [...this.entries.values()].map((entry) => entry.template);
  }

  find(id: string): CatalogEntry | undefined {
    return this.entries.get(id);
  }

  get(id: string): CatalogEntry {
    const entry = this.entries.get(id);
    if (entry === undefined) {
      throw new AppError('TEMPLATE_NOT_FOUND', `There is no template "${id}".`, { status: 404 });
    }
    return entry;
  }
}
