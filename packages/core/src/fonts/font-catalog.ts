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

/**
 * Text every bundled primary font covers in full: printable ASCII and Latin-1. Both the
 * Anton and Noto Sans files ship these code points (their `latin` subset), so no glyph of
 * such text can come from a fallback family.
 */
const PRIMARY_ONLY_TEXT = /^[\u0020-\u007e\u00a0-\u00ff\n]*$/;

/** The primary family alone: same glyphs as the full stack for text it covers. */
export const cssPrimaryFont = (fontId: FontId, sizePx: number): string => {
  const face = FONT_FACES[fontId];
  return `${face.weight} ${sizePx}px "${face.family}"`;
};

/**
 * The font shorthand to measure or draw `text` with. Resolving fallbacks costs a shaping
 * engine far more than the glyphs themselves (ten times, measured with Skia), so text the
 * primary font covers skips the fallback chain; anything else gets the whole chain.
 */
export const cssFontFor = (fontId: FontId, sizePx: number, text: string): string =>
  PRIMARY_ONLY_TEXT.test(text) ? cssPrimaryFont(fontId, sizePx) : cssFont(fontId, sizePx);
