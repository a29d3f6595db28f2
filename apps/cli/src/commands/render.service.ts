import { readFile } from 'node:fs/promises';
import {
  contentIdOf,
  defaultTextBoxes,
  type MemeSpecInput,
  memeIdOf,
  type PlanBase,
  parseMemeSpec,
  planMeme,
} from '@memelab/core';
import { fitWithinOutputLimit } from '@memelab/pipeline';
import { type BackgroundSource, inspectInputImage, type MemeRenderer, type TemplateCatalog } from '@memelab/render';

export interface LocalRenderRequest {
  readonly template?: string;
  readonly backgroundFile?: string;
  readonly captions: readonly string[];
  readonly format: string;
  readonly width?: number;
  readonly height?: number;
  readonly style?: Record<string, string | number>;
}

export interface LocalRenderResult {
  readonly id: string;
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
}

/** Renders one meme on this machine, from a bundled template or an image file. */
export const renderLocally = async (
  request: LocalRenderRequest,
  deps: { readonly catalog: TemplateCatalog; readonly renderer: MemeRenderer },
): Promise<LocalRenderResult> => {
  const specInput: MemeSpecInput = {
    captions: [...request.captions],
    format: request.format as MemeSpecInput['format'],
    ...(request.width === undefined ? {} : { width: request.width }),
    ...(request.height === undefined ? {} : { height: request.height }),
    ...(request.style === undefined ? {} : { style: request.style }),
  };
  let base: PlanBase;
  let background: BackgroundSource;
  if (request.backgroundFile === undefined) {
    const entry = deps.catalog.get(request.template ?? '');
    specInput.template = entry.template.id;
    base = entry.template;
    background = { key: `template:${entry.template.id}`, load: () => readFile(entry.imagePath) };
  } else {
    const bytes = await readFile(request.backgroundFile);
    const info = inspectInputImage(bytes);
    specInput.background = contentIdOf(bytes);
    specInput.boxes = defaultTextBoxes(Math.max(1, request.captions.length));
    base = { ...fitWithinOutputLimit(info.width, info.height), textBoxes: [] };
    background = { key: `background:${specInput.background}`, load: async () => bytes };
  }
  const spec = parseMemeSpec(specInput);
  const rendered = await deps.renderer.render(planMeme(spec, base), background);
  return { id: memeIdOf(spec), ...rendered };
};
