import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inServerBundle } from '@memelab/core';

// No Skia import here: the server bundler reads this list to copy the font files.

const require = createRequire(import.meta.url);

export interface BundledFont {
  readonly pkg: string;
  readonly family: string;
  readonly weights: readonly number[];
}

/**
 * The @fontsource packages ship each font split into unicode-range subsets; every subset
 * file of the wanted weights is registered under the family name, and Skia picks the file
 * that has the glyph.
 */
export const BUNDLED_FONTS: readonly BundledFont[] = [
  { pkg: '@fontsource/anton', family: 'Anton', weights: [400] },
  { pkg: '@fontsource/noto-sans', family: 'Noto Sans', weights: [700] },
  { pkg: '@fontsource/noto-sans-sc', family: 'Noto Sans SC', weights: [700] },
  { pkg: '@fontsource/noto-sans-arabic', family: 'Noto Sans Arabic', weights: [700] },
  { pkg: '@fontsource/noto-color-emoji', family: 'Noto Color Emoji', weights: [400] },
];

/** True for the subset files of `font` that are registered: the wanted weights, as WOFF2. */
export const isRegisteredFontFile = (font: BundledFont, fileName: string): boolean =>
  font.weights.some((weight) => fileName.endsWith(`-${weight}-normal.woff2`));

/**
 * The directory holding a font package's files: its `files/` in node_modules, or, in the
 * server bundle, `fonts/<package>/` beside it, where only the registered files are copied.
 */
export const fontFilesDirectory = (pkg: string): string =>
  inServerBundle()
    ? fileURLToPath(new URL(`./fonts/${pkg}/`, import.meta.url))
    : join(dirname(require.resolve(`${pkg}/package.json`)), 'files');
