import { GlobalFonts } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { needsFallbackFonts, registerBundledFonts, registerFontsFor } from './font-registry.ts';

describe('font registration on first use', () => {
  it('needs the fallback fonts only for text the caption fonts do not cover', () => {
    expect(needsFallbackFonts('ONE DOES NOT SIMPLY\nwalk into Mordor!')).toBe(false);
    expect(needsFallbackFonts('Crème brûlée')).toBe(false);
    for (const text of ['你好', 'مرحبا', 'ok 😂', 'Łódź']) expect(needsFallbackFonts(text)).toBe(true);
  });

  it('registers the caption fonts for Latin text and the fallback families once a text needs them', () => {
    registerFontsFor('HELLO');
    expect(GlobalFonts.has('Anton')).toBe(true);
    expect(GlobalFonts.has('Noto Sans')).toBe(true);
    registerFontsFor('😂');
    for (const family of ['Noto Sans SC', 'Noto Sans Arabic', 'Noto Color Emoji']) {
      expect(GlobalFonts.has(family)).toBe(true);
    }
    expect(registerBundledFonts()).toEqual([]);
  });
});
