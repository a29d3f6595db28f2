import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

const require = createRequire(import.meta.url);

interface BundledFont {
  readonly pkg: string;
  readonly family: string;
  readonly weights: readonly number[];
}

/**
 * The @fontsource packages ship each font split into unicode-range subsets; every subset
 * file of the wanted weights is registered under the family name, and Skia picks the file
 * that has the glyph.
 */
const BUNDLED_FONTS: readonly BundledFont[] = [
  { pkg: '@fontsource/anton', family: 'Anton', weights: [400] },
  { pkg: '@fontsource/noto-sans', family: 'Noto Sans', weights: [700] },
  { pkg: '@fontsource/noto-sans-sc', family: 'Noto Sans SC', weights: [700] },
  { pkg: '@fontsource/noto-sans-arabic', family: 'Noto Sans Arabic', weights: [700] },
  { pkg: '@fontsource/noto-color-emoji', family: 'Noto Color Emoji', weights: [400] },
];

let registered = false;

export interface FontRegistration {
  readonly family: string;
  readonly files: number;
}

/** Registers the bundled fonts with Skia once per process; later calls are free. */
export const registerBundledFonts = (): readonly FontRegistration[] => {
  if (registered) return [];
  const result = BUNDLED_FONTS.map(({ pkg, family, weights }) => {
    const directory = join(dirname(require.resolve(`${pkg}/package.json`)), 'files');
    const wanted = weights.map((weight) => `-${weight}-normal.woff2`);
    let files = 0;
    for (const file of readdirSync(directory)) {
      if (!wanted.some((suffix) => file.endsWith(suffix))) continue;
      if (GlobalFonts.registerFromPath(join(directory, file), family) !== null) files++;
    }
    if (files === 0) throw new Error(`No font files for ${family} found in ${directory}`);
    return { family, files };
  });
  registered = true;
  return result;
};
