import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';
import { BUNDLED_FONTS, fontFilesDirectory, isRegisteredFontFile } from './bundled-fonts.ts';

let registered = false;

export interface FontRegistration {
  readonly family: string;
  readonly files: number;
}

/** Registers the bundled fonts with Skia once per process; later calls are free. */
export const registerBundledFonts = (): readonly FontRegistration[] => {
  if (registered) return [];
  const result = BUNDLED_FONTS.map((font) => {
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
  registered = true;
  return result;
};
