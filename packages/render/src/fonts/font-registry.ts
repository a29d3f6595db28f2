import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cssFontFor, cssPrimaryFont, FONT_FACES, FONT_IDS } from '@memelab/core';
import { GlobalFonts } from '@napi-rs/canvas';
import { BUNDLED_FONTS, type BundledFont, fontFilesDirectory, isRegisteredFontFile } from './bundled-fonts.ts';

export interface FontRegistration {
  readonly family: string;
  readonly files: number;
}

const PRIMARY_FAMILIES: ReadonlySet<string> = new Set(Object.values(FONT_FACES).map((face) => face.family));
/** The caption fonts themselves: a few small files. */
const PRIMARY_FONTS = BUNDLED_FONTS.filter((font) => PRIMARY_FAMILIES.has(font.family));
/** CJK, Arabic and emoji: nine tenths of the cost (Skia decodes every WOFF2 file as it registers it). */
const FALLBACK_FONTS = BUNDLED_FONTS.filter((font) => !PRIMARY_FAMILIES.has(font.family));

let primaryRegistered = false;
let fallbacksRegistered = false;

const register = (fonts: readonly BundledFont[]): FontRegistration[] =>
  fonts.map((font) => {
    const { pkg, family } = font;
    const directory = fontFilesDirectory(pkg);
    let files = 0;
    for (const file of readdirSync(directory)) {
      if (!isRegisteredFontFile(font, file)) continue;
      if (GlobalFonts.registerFromPath(join(directory, file), family) !== null) files++;
    }
    if (files === 0) throw new Error(`No font files for ${family} found in ${directory}`);
    return { family, files };
  });

/** Registers every bundled font with Skia once per process; later calls are free. */
export const registerBundledFonts = (): readonly FontRegistration[] => {
  const result: FontRegistration[] = [];
  if (!primaryRegistered) result.push(...register(PRIMARY_FONTS));
  primaryRegistered = true;
  if (!fallbacksRegistered) result.push(...register(FALLBACK_FONTS));
  fallbacksRegistered = true;
  return result;
};

/** True when drawing `text` goes through the fallback chain (CJK, Arabic, emoji, other symbols). */
export const needsFallbackFonts = (text: string): boolean => {
  const font = FONT_IDS[0];
  return cssFontFor(font, 1, text) !== cssPrimaryFont(font, 1);
};

/**
 * Registers the fonts that drawing or measuring `text` can use, before its first use rather
 * than at start-up (registering all of them costs ~0.6 s of CPU, the emoji font most): the
 * caption fonts always, the fallback families only once a text needs the fallback chain
 * (text the caption fonts cover alone is drawn without it, see `cssFontFor`).
 */
export const registerFontsFor = (text: string): void => {
  if (fallbacksRegistered) return;
  if (!primaryRegistered) {
    register(PRIMARY_FONTS);
    primaryRegistered = true;
  }
  if (needsFallbackFonts(text)) registerBundledFonts();
};
