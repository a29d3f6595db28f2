import { describe, expect, it } from 'vitest';
import { FixedWidthMeasurer } from '../testing/fixed-width-measurer.ts';
import { checkLayoutProperties } from '../testing/layout-properties.ts';
import { splitChunks, splitGraphemes } from './line-breaker.ts';
import { type CaptionLayoutInput, layoutCaption } from './text-layout.ts';

const measurer = new FixedWidthMeasurer();
const box: CaptionLayoutInput = {
  text: '',
  font: 'anton',
  width: 400,
  height: 200,
  align: 'center',
  verticalAlign: 'top',
  outlineRatio: 0.1,
  maxFontSize: 80,
};
const linesOf = (text: string, overrides: Partial<CaptionLayoutInput> = {}): string[] =>
  layoutCaption({ ...box, ...overrides, text }, measurer).lines.map((line) => line.text);

describe('line breaking', () => {
  it('breaks at spaces and keeps the space with the chunk before it', () => {
    expect(splitChunks('one does  not')).toEqual([
      { text: 'one', spaceAfter: ' ' },
      { text: 'does', spaceAfter: '  ' },
      { text: 'not', spaceAfter: '' },
    ]);
  });

  it('keeps punctuation with its word and breaks after a hyphen', () => {
    expect(splitChunks('(really) well-known, ok!').map((chunk) => chunk.text)).toEqual([
      '(really)',
      'well-',
      'known,',
      'ok!',
    ]);
  });

  it('does not break at a no-break space', () => {
    expect(splitChunks('100\u00a0km').map((chunk) => chunk.text)).toEqual(['100\u00a0km']);
  });

  it('breaks Chinese and Japanese text without spaces but never before closing punctuation', () => {
    const chunks = splitChunks('我们一起去吃饭吧。').map((chunk) => chunk.text);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.join('')).toBe('我们一起去吃饭吧。');
    expect(chunks.at(-1)?.endsWith('。')).toBe(true);
    expect(chunks.some((chunk) => chunk.startsWith('。'))).toBe(false);
  });

  it('keeps emoji sequences and combining marks whole as graphemes', () => {
    expect(splitGraphemes('a👨‍👩‍👧e\u0301👍🏽')).toEqual(['a', '👨‍👩‍👧', 'e\u0301', '👍🏽']);
  });
});

describe('caption layout', () => {
  it('wraps by measured width and centres each line', () => {
    const layout = layoutCaption({ ...box, text: 'one does not simply walk into mordor', maxFontSize: 40 }, measurer);
    expect(layout.fontSize).toBe(40);
    expect(layout.lines.length).toBeGreaterThan(1);
    for (const line of layout.lines) {
      expect(line.x).toBeCloseTo((box.width - line.width) / 2);
    }
  });

  it('fills the box: the font grows up to the maximum for short text', () => {
    expect(layoutCaption({ ...box, text: 'hi' }, measurer).fontSize).toBe(80);
    const long = layoutCaption({ ...box, text: 'word '.repeat(60) }, measurer);
    expect(long.fontSize).toBeLessThan(80);
    expect(long.fits).toBe(true);
  });

  it('finds the largest fitting size to within a quarter pixel', () => {
    const text = 'walk into mordor without a load test first';
    const found = layoutCaption({ ...box, text }, measurer);
    const bigger = layoutCaption(
      { ...box, text, minFontSize: found.fontSize + 0.25, maxFontSize: found.fontSize + 0.25 },
      measurer,
    );
    expect(bigger.fits).toBe(false);
  });

  it('honours explicit newlines, including empty lines', () => {
    expect(linesOf('top\n\nbottom')).toEqual(['TOP', '', 'BOTTOM'].map((line) => line.toLowerCase()));
  });

  it('breaks a word longer than the box between graphemes', () => {
    const lines = linesOf('x'.repeat(60), { maxFontSize: 40, minFontSize: 40 });
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('')).toBe('x'.repeat(60));
  });

  it('keeps an emoji whole when breaking a long run', () => {
    const lines = linesOf('👨‍👩‍👧'.repeat(20), { maxFontSize: 40, minFontSize: 40 });
    for (const line of lines) expect(line.replaceAll('👨‍👩‍👧', '')).toBe('');
  });

  it('aligns the block to the bottom of the box', () => {
    const layout = layoutCaption({ ...box, text: 'bottom text', verticalAlign: 'bottom', maxFontSize: 30 }, measurer);
    const last = layout.lines.at(-1);
    expect(last).toBeDefined();
    // Ink ascent 72 at 100 px and no descenders: the baseline sits half an outline above the bottom.
    expect(last?.baseline).toBeCloseTo(box.height - layout.outlineWidth / 2);
  });

  it('scales the outline with the font size', () => {
    const small = layoutCaption({ ...box, text: 'a b c d e f g h i j k l m n o p q r s t u v w x y z' }, measurer);
    const large = layoutCaption({ ...box, text: 'ab' }, measurer);
    expect(small.outlineWidth / small.fontSize).toBeCloseTo(0.1);
    expect(large.outlineWidth / large.fontSize).toBeCloseTo(0.1);
    expect(large.outlineWidth).toBeGreaterThan(small.outlineWidth);
  });

  it('returns no lines for an empty caption', () => {
    expect(layoutCaption({ ...box, text: '  ' }, measurer).lines).toEqual([]);
  });

  it('reports overflow instead of exceeding the box when even the smallest size cannot fit', () => {
    const layout = layoutCaption({ ...box, text: 'word '.repeat(99), width: 40, height: 5, minFontSize: 8 }, measurer);
    expect(layout.fits).toBe(false);
  });

  it('satisfies the layout properties for generated captions and boxes', () => {
    checkLayoutProperties(measurer, 300);
  });
});
