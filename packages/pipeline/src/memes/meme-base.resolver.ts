import type { ObjectStore } from '@memelab/adapters';
import { AppError, LIMITS, type MemeSpec, type PlanBase } from '@memelab/core';
import type { BackgroundSource } from '@memelab/render';
import type { BackgroundRepository } from '../backgrounds/background.repository.ts';
import { readAll } from '../stream-bytes.ts';
import type { TemplateService } from '../templates/template.service.ts';

export interface ResolvedBase {
  readonly base: PlanBase;
  readonly background: BackgroundSource;
}

/** Scales a size down, keeping its aspect ratio, until both edges are within the output limit. */
export const fitWithinOutputLimit = (width: number, height: number): { width: number; height: number } => {
  const scale = Math.min(1, LIMITS.maxOutputEdge / width, LIMITS.maxOutputEdge / height);
  return {
    width: Math.max(LIMITS.minOutputEdge, Math.round(width * scale)),
    height: Math.max(LIMITS.minOutputEdge, Math.round(height * scale)),
  };
};

/** What a spec is drawn on: its template, or its uploaded background. */
export class MemeBaseResolver {
  constructor(
    private readonly templates: TemplateService,
    private readonly backgrounds: BackgroundRepository,
    private readonly store: ObjectStore,
  ) {}

  async resolve(spec: MemeSpec): Promise<ResolvedBase> {
    if (spec.template !== undefined) {
      const resolved = await this.templates.get(spec.template);
      return {
        base: resolved.template,
        background: { key: resolved.imageVersion, load: resolved.imageBytes },
      };
    }
    const backgroundId = spec.background ?? '';
    const background = await this.backgrounds.find(backgroundId);
    if (background === undefined) {
      throw new AppError('BACKGROUND_NOT_FOUND', `There is no uploaded background "${backgroundId}".`, { status: 404 });
    }
    return {
      base: { ...fitWithinOutputLimit(background.width, background.height), textBoxes: [] },
      background: {
        key: `background:${background.id}`,
        load: async () => {
          const object = await this.store.get(background.objectKey);
          if (object === undefined) {
            throw new AppError('BACKGROUND_IMAGE_MISSING', `Background "${backgroundId}" is missing from storage.`, {
              status: 503,
            });
          }
          return readAll(object.body);
        },
      },
    };
  }
}
