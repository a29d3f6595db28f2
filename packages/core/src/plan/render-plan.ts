import { AppError } from '../errors/app-error.ts';
import { LIMITS } from '../limits.ts';
import type { MemeSpec, OutputFormat } from '../meme/meme-spec.schema.ts';
import type { TextBox, TextStyle, TextStyleOverride } from '../template/template.schema.ts';

/** What a meme is drawn on: a template's image or an uploaded background, with its boxes. */
export interface PlanBase {
  readonly width: number;
  readonly height: number;
  readonly textBoxes: readonly TextBox[];
}

export interface PlannedCaption {
  /** The text as drawn: case applied. */
  readonly text: string;
  /** The box in output pixels, before rotation. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly rotation: number;
  readonly align: TextBox['align'];
  readonly verticalAlign: TextBox['verticalAlign'];
  readonly style: TextStyle;
}

export interface RenderPlan {
  readonly width: number;
  readonly height: number;
  readonly format: OutputFormat;
  readonly captions: readonly PlannedCaption[];
}

const applyCase = (text: string, textCase: TextStyle['case']): string => {
  switch (textCase) {
    case 'upper':
      return text.toUpperCase();
    case 'lower':
      return text.toLowerCase();
    case 'none':
      return text;
  }
};

const mergeStyle = (base: TextStyle, override: TextStyleOverride | undefined): TextStyle => {
  if (override === undefined) return base;
  const merged = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  return merged;
};

/** Output size: the base's size, or the requested width/height (one given keeps the aspect ratio). */
const outputSize = (spec: MemeSpec, base: PlanBase): { width: number; height: number } => {
  const aspect = base.width / base.height;
  const clampEdge = (edge: number): number =>
    Math.min(LIMITS.maxOutputEdge, Math.max(LIMITS.minOutputEdge, Math.round(edge)));
  if (spec.width !== undefined && spec.height !== undefined) return { width: spec.width, height: spec.height };
  if (spec.width !== undefined) return { width: spec.width, height: clampEdge(spec.width / aspect) };
  if (spec.height !== undefined) return { width: clampEdge(spec.height * aspect), height: spec.height };
  return { width: base.width, height: base.height };
};

/**
 * Resolves a validated spec against its base into exactly what gets drawn. Shared by the
 * render worker and the browser preview, so both start from the same plan.
 */
export const planMeme = (spec: MemeSpec, base: PlanBase): RenderPlan => {
  const boxes = spec.boxes ?? base.textBoxes;
  if (spec.captions.length > boxes.length) {
    throw new AppError(
      'TOO_MANY_CAPTIONS',
      `This meme has ${boxes.length} text boxes but ${spec.captions.length} captions were given.`,
      { status: 422, issues: [{ path: 'captions', message: `at most ${boxes.length} captions` }] },
    );
  }
  const { width, height } = outputSize(spec, base);
  if (width * height > LIMITS.maxOutputPixels) {
    throw new AppError('OUTPUT_TOO_LARGE', `The output would be ${width}x${height} pixels.`, {
      status: 422,
      issues: [{ path: 'width', message: `at most ${LIMITS.maxOutputPixels} pixels` }],
    });
  }
  const captions = boxes.map((box, index): PlannedCaption => {
    const style = mergeStyle(box.style, spec.style);
    return {
      text: applyCase(spec.captions[index] ?? '', style.case),
      x: box.x * width,
      y: box.y * height,
      width: box.width * width,
      height: box.height * height,
      rotation: box.rotation,
      align: box.align,
      verticalAlign: box.verticalAlign,
      style,
    };
  });
  return { width, height, format: spec.format, captions };
};
