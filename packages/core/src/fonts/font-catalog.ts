/**
 * Fonts a caption can use. Each has a primary family and shares one fallback chain so that
 * CJK, Arabic and emoji render with any primary font. The families are bundled from
 * openly licensed @fontsource packages; the server registers the files, the browser loads
 * the same files through CSS, so both measure and draw with identical outlines.
 */
export const FONT_IDS = ['anton', 'noto-sans'] as const;
export type FontId = (typeof FONT_IDS)[number];

export interface FontFace {
  readonly id: FontId;
  readonly label: string;
  readonly family: string;
  readonly weight: number;
}

export const FONT_FACES: Readonly<Record<FontId, FontFace>> = {
  anton: { id: 'anton', label: 'Anton (classic meme)', family: 'Anton', weight: 400 },
  'noto-sans': { id: 'noto-sans', label: 'Noto Sans Bold', family: 'Noto Sans', weight: 700 },
};

/** Fallback families, in order, for scripts and symbols the primary font lacks. */
export const FALLBACK_FAMILIES = ['Noto Sans', 'Noto Sans SC', 'Noto Sans Arabic', 'Noto Color Emoji'] as const;

/** A CSS font shorthand for `ctx.font`, e.g. `700 48px "Noto Sans", "Noto Sans SC", ...`. */
export const cssFont = (fontId: FontId, sizePx: number): string => {
  const face = FONT_FACES[fontId];
  const families = [face.family, ...FALLBACK_FAMILIES.filter((family) => family !== face.family)];
  return `${face.weight} ${sizePx}px ${families.map((family) => `"${family}"`).join(', ')}`;
};
