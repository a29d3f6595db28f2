import type { ObjectStore } from '@memelab/adapters';
import { AppError, contentIdOf, parseOrThrow, type Template, templateSchema } from '@memelab/core';
import {
  fitWithinOutputLimit,
  type TemplateRepository,
  type TemplateService,
  templateImageObjectKey,
} from '@memelab/pipeline';
import { INPUT_IMAGE_CONTENT_TYPES, inspectInputImage } from '@memelab/render/image-guard';

const slugOf = (name: string): string =>
  name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');

/** Adding and removing custom templates (admin only); bundled templates are read-only. */
export class CustomTemplateService {
  constructor(
    private readonly templates: TemplateService,
    private readonly repository: TemplateRepository,
    private readonly store: ObjectStore,
  ) {}

  async create(configJson: string | undefined, image: Buffer | undefined): Promise<Template> {
    if (image === undefined)
      throw new AppError('IMAGE_REQUIRED', 'Upload the template image as the `image` file.', { status: 400 });
    const config = this.parseConfig(configJson);
    const info = inspectInputImage(image);
    const size = fitWithinOutputLimit(info.width, info.height);
    const name = typeof config.name === 'string' ? config.name : '';
    const template = parseOrThrow(
      templateSchema,
      {
        source: { author: 'uploaded by an administrator', licence: 'unspecified' },
        ...config,
        id: config.id ?? slugOf(name),
        image: `image.${info.type}`,
        ...size,
      },
      'INVALID_TEMPLATE',
      'The template is not valid.',
    );
    if (this.templates.isBundled(template.id) || (await this.repository.find(template.id)) !== undefined) {
      throw new AppError('TEMPLATE_EXISTS', `A template "${template.id}" exists already.`, { status: 409 });
    }
    const key = templateImageObjectKey(template.id, contentIdOf(image), info.type);
    await this.store.put(key, image, INPUT_IMAGE_CONTENT_TYPES[info.type]);
    if (!(await this.repository.insert(template, key))) {
      throw new AppError('TEMPLATE_EXISTS', `A template "${template.id}" exists already.`, { status: 409 });
    }
    return template;
  }

  async delete(id: string): Promise<void> {
    if (this.templates.isBundled(id)) {
      throw new AppError('TEMPLATE_READ_ONLY', `"${id}" is a bundled template and cannot be deleted.`, { status: 409 });
    }
    const deleted = await this.repository.delete(id);
    if (deleted === undefined)
      throw new AppError('TEMPLATE_NOT_FOUND', `There is no template "${id}".`, { status: 404 });
    // Memes already rendered from it keep their images; its own image goes.
    await this.store.delete(deleted.imageKey);
  }

  private parseConfig(configJson: string | undefined): Record<string, unknown> & { id?: unknown; name?: unknown } {
    if (configJson === undefined) {
      throw new AppError('CONFIG_REQUIRED', 'Send the template config as the `config` field (JSON).', { status: 400 });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(configJson);
    } catch {
      throw new AppError('INVALID_JSON', 'The `config` field is not valid JSON.', { status: 400 });
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new AppError('INVALID_TEMPLATE', 'The `config` field must be a JSON object.', { status: 422 });
    }
    return parsed as Record<string, unknown>;
  }
}
