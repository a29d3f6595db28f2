import { AppError } from '@memelab/core';
import { describe, expect, it } from 'vitest';
import { pngHeader, syntheticBackground } from '../testing/images.ts';
import { inspectInputImage } from './image-guard.ts';

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return `${(error as AppError).status} ${(error as AppError).code}`;
  }
  return 'accepted';
};

describe('input image guard', () => {
  it('reads the type and size of a real image', () => {
    expect(inspectInputImage(syntheticBackground(64, 48))).toEqual({ type: 'png', width: 64, height: 48 });
  });

  it('refuses a decompression bomb from its header alone', () => {
    expect(codeOf(() => inspectInputImage(pngHeader(100_000, 100_000)))).toBe('413 IMAGE_TOO_MANY_PIXELS');
  });

  it('accepts an image right at the pixel limit', () => {
    expect(codeOf(() => inspectInputImage(pngHeader(8000, 5000)))).toBe('accepted');
    expect(codeOf(() => inspectInputImage(pngHeader(8000, 5001)))).toBe('413 IMAGE_TOO_MANY_PIXELS');
  });

  it('judges the type by content, not by name', () => {
    expect(codeOf(() => inspectInputImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')))).toBe(
      '415 UNSUPPORTED_IMAGE_TYPE',
    );
    expect(codeOf(() => inspectInputImage(Buffer.from('definitely not an image')))).toBe('415 UNSUPPORTED_IMAGE_TYPE');
  });

  it('refuses files over the byte limit before parsing them', () => {
    expect(codeOf(() => inspectInputImage(Buffer.alloc(10 * 1024 * 1024 + 1)))).toBe('413 IMAGE_TOO_LARGE');
  });
});
