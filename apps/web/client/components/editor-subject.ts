import { defaultTextBoxes, LIMITS, type PlanBase } from '@memelab/core';
import type { TemplateResource, UploadedBackground } from '../api/resources.ts';

/** What a meme is made on: a gallery template or a picture the user uploaded. */
export interface EditorSubject {
  /** Changes whenever the editor should start afresh. */
  readonly key: string;
  readonly title: string;
  readonly target: { readonly template: string } | { readonly background: string };
  readonly base: PlanBase;
  /** Where the preview reads the picture from. */
  readonly imageUrl: string;
  readonly initialCaptions: readonly string[];
  /** An uploaded picture has no boxes of its own, so its meme must always name them. */
  readonly boxesRequired: boolean;
  readonly credit: string | undefined;
}

export const templateSubject = (template: TemplateResource): EditorSubject => ({
  key: `template:${template.id}`,
  title: template.name,
  target: { template: template.id },
  base: template,
  imageUrl: template.links.image,
  initialCaptions: template.textBoxes.map((_, index) => template.example[index] ?? ''),
  boxesRequired: false,
  credit: `Template by ${template.source.author} (${template.source.licence}).`,
});

/** The server shrinks large uploads to its largest output edge; the preview must draw at the same size. */
const fitWithinOutputLimit = (width: number, height: number): { width: number; height: number } => {
  const scale = Math.min(1, LIMITS.maxOutputEdge / width, LIMITS.maxOutputEdge / height);
  return {
    width: Math.max(LIMITS.minOutputEdge, Math.round(width * scale)),
    height: Math.max(LIMITS.minOutputEdge, Math.round(height * scale)),
  };
};

export const backgroundSubject = (background: UploadedBackground, imageUrl: string): EditorSubject => ({
  key: `background:${background.id}:${imageUrl}`,
  title: 'Your picture',
  target: { background: background.id },
  base: { ...fitWithinOutputLimit(background.width, background.height), textBoxes: defaultTextBoxes(2) },
  imageUrl,
  initialCaptions: [],
  boxesRequired: true,
  credit: undefined,
});
